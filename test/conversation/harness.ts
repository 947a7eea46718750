import { createManualClock, type ManualClock } from '../../src/clock.ts';
import { corpusSource } from '../../src/corpus/source.ts';
import { createConversation, type Conversation, type ConversationDeps } from '../../src/conversation/core.ts';
import type { IncomingMessage, Reply } from '../../src/conversation/types.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { seed, tempDataDir } from '../helpers.ts';
import { seedIndex, textTools } from '../search/fixtures.ts';

/** A conversation over the seed with a real store on a temp file and a manual clock. */
export async function harness(over: Partial<ConversationDeps> = {}): Promise<{ conv: Conversation; store: Store; clock: ManualClock; dir: string }> {
  const dir = await tempDataDir(false);
  const clock = createManualClock();
  const store = await openStore({ dataDir: dir, now: () => clock.now() });
  const corpus = corpusSource({ corpus: { files: [{ ...seed(), file: 'seed.txt', hash: 'x' }] }, index: seedIndex(), tools: textTools() });
  const conv = createConversation({
    corpus,
    store,
    clock,
    admins: ['console:admin'],
    maxQuestionLength: 200,
    ratePerMinute: 30,
    pageSize: 1,
    pushTime: '09:00',
    ...over,
  });
  return { conv, store, clock, dir };
}

/** A private console message. */
export function msg(text: string, over: Partial<IncomingMessage> = {}): IncomingMessage {
  return { channel: 'console', chatId: 'c1', userId: 'u1', text, isGroup: false, mentionsBot: false, ...over };
}

/** All text of a reply, flattened. */
export function flat(r: Reply | null): string {
  if (!r) return '';
  return r.blocks
    .map((b) => (b.kind === 'text' ? b.text : b.kind === 'clause' ? `${b.text}\n${b.citation.label}` : [b.title, ...b.items].join('\n')))
    .join('\n');
}
