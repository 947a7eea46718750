import type { Citation } from '../answer/citation.ts';
import type { Channel } from '../store/schema.ts';

/** A message as every adapter hands it to the core. */
export interface IncomingMessage {
  channel: Channel;
  /** Where to answer: a private chat, a group or room. */
  chatId: string;
  userId: string;
  text: string;
  isGroup: boolean;
  /** The bot was @mentioned (adapters strip the mention from `text`). */
  mentionsBot: boolean;
  /** The message replies to one of the bot's messages. */
  isReplyToBot?: boolean;
}

/** A piece of a reply; adapters render each kind in their own way. */
export type ReplyBlock =
  | { kind: 'text'; text: string }
  /** A quoted clause with the citation to paste. */
  | { kind: 'clause'; text: string; citation: Citation }
  /** Lines of a list (documents, outline, commands). */
  | { kind: 'list'; title?: string; items: string[] };

/** Something the user can do next; channels with buttons show them, others mention the word to type. */
export type ReplyAction = { kind: 'more'; remaining: number } | { kind: 'feedback'; clauseId: string };

/** The core's answer to one message. */
export interface Reply {
  blocks: ReplyBlock[];
  actions: ReplyAction[];
}
