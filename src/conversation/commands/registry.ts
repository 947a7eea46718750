import { exampleTopics } from '../../answer/suggestions.ts';
import { PolicyBotError } from '../../errors.ts';
import type { ConversationDeps } from '../context.ts';
import type { Reply, ReplyBlock } from '../types.ts';
import type { Command } from './command.ts';
import { citeCommand, docCommand, docsCommand, latestCommand } from './documents.ts';
import { usefulCommand, uselessCommand } from './feedback.ts';
import { moreCommand } from './more.ts';
import { statsCommand } from './stats.ts';
import { subscribeCommand, subscriptionsCommand, unsubscribeCommand } from './subscriptions.ts';

/** The greeting with example questions; `full` adds the command list (/help). */
export function helpReply(deps: ConversationDeps, full: boolean): Reply {
  const { corpus, index } = deps.corpus.current();
  const topics = exampleTopics(corpus, 5, index.tools.synonyms);
  const blocks: ReplyBlock[] = [
    {
      kind: 'text',
      text: '您好！我是政策问答机器人：用中文提问，我从已收录的政府公报中找出回答问题的原文条款，并给出准确出处（文件、文号、条款、公报期号和页码）。',
    },
  ];
  if (topics.length) blocks.push({ kind: 'list', title: '可以这样问：', items: topics.map((t) => `${t}有什么规定？`) });
  if (full) blocks.push({ kind: 'list', title: '命令：', items: commandHelp().map((c) => `/${c.command}${c.alias ? `（${c.alias}）` : ''} ${c.description}`) });
  return { blocks, actions: [] };
}

const helpCommand: Command = {
  name: 'help',
  aliases: ['帮助'],
  takesArgs: false,
  help: { alias: '帮助', description: '能问什么、怎么问' },
  handle: (deps) => helpReply(deps, true),
};

/** Telegram's /start: the same as /help. */
const startCommand: Command = { name: 'start', aliases: [], takesArgs: false, handle: (deps) => helpReply(deps, true) };

/**
 * Every command, in /help order. Adding a command = one module exporting a `Command` and one
 * line here; names, aliases and help all come from it.
 */
export const COMMANDS: readonly Command[] = [
  helpCommand,
  moreCommand,
  docCommand,
  citeCommand,
  docsCommand,
  latestCommand,
  subscribeCommand,
  unsubscribeCommand,
  subscriptionsCommand,
  usefulCommand,
  uselessCommand,
  statsCommand,
  startCommand,
];

const byName = new Map<string, Command>();
for (const c of COMMANDS) {
  for (const n of [c.name, ...c.aliases]) {
    if (byName.has(n)) throw new PolicyBotError('INTERNAL', `command name ${n} is used twice`);
    byName.set(n, c);
  }
}

/** The command a name or alias stands for. */
export function commandNamed(name: string): Command | undefined {
  return byName.get(name);
}

/** Descriptions shown by /help and registered with Telegram's setMyCommands. */
export function commandHelp(): Array<{ command: string; alias?: string; description: string }> {
  return COMMANDS.flatMap((c) => (c.help ? [{ command: c.name, ...c.help }] : []));
}
