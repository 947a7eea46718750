/** The commands every channel understands, with their Chinese aliases. */
export type CommandName =
  | 'start'
  | 'help'
  | 'more'
  | 'doc'
  | 'cite'
  | 'docs'
  | 'latest'
  | 'subscribe'
  | 'unsubscribe'
  | 'subscriptions'
  | 'useful'
  | 'useless'
  | 'stats';

const ALIASES: Record<string, CommandName> = {
  start: 'start',
  help: 'help',
  帮助: 'help',
  more: 'more',
  更多: 'more',
  下一条: 'more',
  doc: 'doc',
  文件: 'doc',
  cite: 'cite',
  引用: 'cite',
  docs: 'docs',
  文件列表: 'docs',
  latest: 'latest',
  最新一期: 'latest',
  最新: 'latest',
  subscribe: 'subscribe',
  订阅: 'subscribe',
  unsubscribe: 'unsubscribe',
  退订: 'unsubscribe',
  取消订阅: 'unsubscribe',
  subscriptions: 'subscriptions',
  我的订阅: 'subscriptions',
  有用: 'useful',
  useful: 'useful',
  没用: 'useless',
  无用: 'useless',
  useless: 'useless',
  stats: 'stats',
  统计: 'stats',
};

/** Descriptions shown by /help and registered with Telegram's setMyCommands. */
export const COMMAND_HELP: Array<{ command: string; alias?: string; description: string }> = [
  { command: 'help', alias: '帮助', description: '能问什么、怎么问' },
  { command: 'more', alias: '更多', description: '上一个问题的更多结果' },
  { command: 'doc', alias: '文件', description: '文件目录：/doc 川办发〔2013〕52号' },
  { command: 'cite', alias: '引用', description: '引用条款：/cite 川办发〔2013〕52号 第十四条' },
  { command: 'docs', alias: '文件列表', description: '已收录的公报和文件' },
  { command: 'latest', alias: '最新一期', description: '最新一期公报' },
  { command: 'subscribe', alias: '订阅', description: '订阅新一期推送，可加关键词：/subscribe 医保 住房' },
  { command: 'unsubscribe', alias: '退订', description: '取消订阅' },
  { command: 'subscriptions', alias: '我的订阅', description: '查看订阅' },
];

/** A command read from a message, with its arguments. */
export interface ParsedCommand {
  name: CommandName;
  args: string;
}

/**
 * Reads "/cite 川办发… 第十四条", "/cite@PolicyBot …", "订阅 医保" or "更多" as a command.
 * Chinese aliases count only at the start of the message, as a whole word.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const t = text.trim();
  const slash = /^[/／]([A-Za-z\u4e00-\u9fff]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(t);
  if (slash) {
    const name = ALIASES[slash[1]!.toLowerCase()];
    return name ? { name, args: (slash[2] ?? '').trim() } : undefined;
  }
  const word = /^([\u4e00-\u9fff]{2,4})(?:[\s:：]+([\s\S]*))?$/.exec(t);
  if (word) {
    const name = ALIASES[word[1]!];
    // 订阅 / 文件 / 引用 take arguments; 更多, 有用… must stand alone to be commands
    if (name && (word[2] === undefined || ['subscribe', 'doc', 'cite'].includes(name))) return { name, args: (word[2] ?? '').trim() };
  }
  return undefined;
}

/** True when the text addresses the bot as a command (slash or alias). */
export function isCommand(text: string): boolean {
  return /^[/／]/.test(text.trim()) || parseCommand(text) !== undefined;
}
