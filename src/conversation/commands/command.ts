import type { ConversationDeps } from '../context.ts';
import type { IncomingMessage, Reply } from '../types.ts';

/** One command of the conversation: its names, its /help line and what it does. */
export interface Command {
  /** The English name, also the slash command (/cite). */
  name: string;
  /** Chinese (and other) names; a Chinese alias counts only at the start of a message. */
  aliases: readonly string[];
  /** Whether a bare-word alias may be followed by arguments ("订阅 医保"); else it must stand alone ("更多"). */
  takesArgs: boolean;
  /** Shown by /help and registered with Telegram's setMyCommands; hidden commands have none. */
  help?: { alias?: string; description: string };
  handle(deps: ConversationDeps, msg: IncomingMessage, args: string): Reply | Promise<Reply>;
}
