import type { Command } from './commands/command.ts';
import { commandHelp, commandNamed } from './commands/registry.ts';

/** Descriptions shown by /help and registered with Telegram's setMyCommands. */
export const COMMAND_HELP = commandHelp();

/** A command read from a message, with its arguments. */
export interface ParsedCommand {
  /** The command's English name (cite, more, subscribe…). */
  name: string;
  args: string;
  command: Command;
}

/**
 * Reads "/cite 川办发… 第十四条", "/cite@PolicyBot …", "订阅 医保" or "更多" as a command.
 * Chinese aliases count only at the start of the message, as a whole word.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const t = text.trim();
  const slash = /^[/／]([A-Za-z\u4e00-\u9fff]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(t);
  if (slash) {
    const command = commandNamed(slash[1]!.toLowerCase());
    return command ? { name: command.name, args: (slash[2] ?? '').trim(), command } : undefined;
  }
  const word = /^([\u4e00-\u9fff]{2,4})(?:[\s:：]+([\s\S]*))?$/.exec(t);
  if (word) {
    const command = commandNamed(word[1]!);
    // 订阅 / 文件 / 引用 take arguments; 更多, 有用… must stand alone to be commands
    if (command && (word[2] === undefined || command.takesArgs)) return { name: command.name, args: (word[2] ?? '').trim(), command };
  }
  return undefined;
}

/** True when the text addresses the bot as a command (slash or alias). */
export function isCommand(text: string): boolean {
  return /^[/／]/.test(text.trim()) || parseCommand(text) !== undefined;
}
