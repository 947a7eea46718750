import type { Clock } from '../clock.ts';
import type { CorpusSource } from '../corpus/source.ts';
import type { Store } from '../store/store.ts';
import type { IncomingMessage, Reply } from './types.ts';

/** What the conversation core needs; everything injected. */
export interface ConversationDeps {
  corpus: CorpusSource;
  store: Store;
  clock: Clock;
  /** Admin ids, as "channel:userId" or a bare userId. */
  admins: readonly string[];
  maxQuestionLength: number;
  ratePerMinute: number;
  /** Results per answer (and per "更多"). */
  pageSize: number;
  /** Daily push time shown when subscribing, e.g. "09:00". */
  pushTime?: string;
}

/** A reply of one text block. */
export const textReply = (t: string): Reply => ({ blocks: [{ kind: 'text', text: t }], actions: [] });

/** The current time as an ISO string, from the injected clock. */
export const nowIso = (deps: ConversationDeps): string => new Date(deps.clock.now()).toISOString();

/** The key a chat's paging state is stored under. */
export const chatKey = (m: IncomingMessage): string => `${m.channel}:${m.chatId}`;
