import { copyFile, mkdir } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createManualClock, type ManualClock } from '../../src/clock.ts';
import { openCorpus } from '../../src/corpus/open.ts';
import { corpusSource, type CorpusSource } from '../../src/corpus/source.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { createLogger } from '../../src/logger.ts';
import { runPushCycle, type PushCycleDeps } from '../../src/push/cycle.ts';
import type { Pacer } from '../../src/push/pacer.ts';
import { sendParts, type ChannelSender, type PartProgress } from '../../src/push/sender.ts';
import type { Channel, Subscriber } from '../../src/store/schema.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { lineSink, FIXTURES, tempDataDir } from '../helpers.ts';
import { textTools } from '../search/fixtures.ts';

/**
 * A channel stand-in that records what it is asked to deliver (a chat app, not our code). A
 * reply goes out in `parts` messages (part i of n is recorded with its index).
 */
export class RecordingChannel implements ChannelSender {
  readonly delivered: Array<{ chatId: string; reply: Reply; at: number; part: number }> = [];
  /** Throw this for a chat id, or throw on the n-th message (simulated crash). */
  failFor = new Map<string, Error>();
  crashOnSend: number | undefined;
  /** Messages per reply. */
  parts = 1;
  /** Time each message takes on the (manual) clock. */
  latencyMs = 0;
  private attempts = 0;
  constructor(private clock: ManualClock) {}
  sendReply(chatId: string, reply: Reply, pacer: Pacer, progress?: PartProgress): Promise<void> {
    const parts = Array.from({ length: this.parts }, (_, i) => i);
    return sendParts(
      chatId,
      parts.map(String),
      pacer,
      async (part) => {
        this.attempts++;
        if (this.latencyMs) await this.clock.sleep(this.latencyMs);
        if (this.crashOnSend !== undefined && this.attempts === this.crashOnSend) throw new Error('process crashed');
        const f = this.failFor.get(chatId);
        if (f) throw f;
        this.delivered.push({ chatId, reply, at: this.clock.now(), part: Number(part) });
      },
      progress,
    );
  }
}

/** A data dir with the seed, a store, an inbox, and a manual clock. */
export async function pushHarness(): Promise<{
  dir: string;
  inbox: string;
  store: Store;
  corpus: CorpusSource;
  clock: ManualClock;
  logs: string[];
  deps(senders: Partial<Record<Channel, ChannelSender>>, extra?: Partial<PushCycleDeps>): PushCycleDeps;
  subscribe(s: Array<Partial<Subscriber> & { chatId: string }>): Promise<void>;
  drop(fixture: string, as?: string): Promise<void>;
  reopen(): Promise<Store>;
}> {
  const dir = await tempDataDir();
  const inbox = join(dir, 'inbox');
  await mkdir(inbox, { recursive: true });
  const clock = createManualClock();
  let store = await openStore({ dataDir: dir, now: () => clock.now() });
  const corpus = corpusSource(await openCorpus(dir, textTools()));
  const logs: string[] = [];
  const logger = createLogger('info', [], lineSink(logs));
  return {
    dir,
    inbox,
    get store() {
      return store;
    },
    corpus,
    clock,
    logs,
    deps: (senders, extra = {}) => ({ dataDir: dir, inboxDir: inbox, corpus, tools: textTools(), store, senders, clock, logger, ...extra }),
    async subscribe(list) {
      for (const s of list) {
        const ref = { channel: s.channel ?? 'telegram', chatId: s.chatId };
        await store.subscribe({ ...ref, isGroup: s.isGroup ?? false, topics: s.topics ?? [] }, new Date(clock.now()).toISOString());
        if (s.active === false) await store.deactivate(ref, s.inactiveReason ?? 'unsubscribed', new Date(clock.now()).toISOString());
      }
    },
    async drop(fixture, as) {
      await copyFile(join(FIXTURES, fixture), join(inbox, as ?? fixture));
    },
    async reopen() {
      await store.close();
      store = await openStore({ dataDir: dir, now: () => clock.now() });
      return store;
    },
  };
}

/** Starts an HTTP server on 127.0.0.1 (an ephemeral port) and returns it with its base URL. */
export async function serveLoopback(handler: RequestListener): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A harness with one Telegram subscriber whose first cycle has run (the seed counts as announced). */
export async function announcedHarness(): Promise<{ h: Awaited<ReturnType<typeof pushHarness>>; ch: RecordingChannel }> {
  const h = await pushHarness();
  const ch = new RecordingChannel(h.clock);
  await h.subscribe([{ chatId: '1' }]);
  await runPushCycle(h.deps({ telegram: ch }));
  return { h, ch };
}
