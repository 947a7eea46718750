/**
 * One store measurement in its own process: `store-worker.ts <file|legacy> <dir> [nosync]` opens
 * the data made by bench/store.ts, then times what a chat answer does to the store (count the
 * question, save the paging state), what a subscribe does and, for the file store, what one
 * push delivery does (claim it, record its part, record it sent: three appends), and reports
 * RSS. `nosync` opens the file store without fdatasync after each append, to measure what the
 * fsync costs. `legacy` is the version-1 behaviour this replaced: one lowdb JSON document
 * rewritten whole (temp file + rename) on every write.
 */
import { join } from 'node:path';

const [kind, dir, sync] = process.argv.slice(2) as ['file' | 'legacy', string, string | undefined];
const QUESTIONS = kind === 'legacy' ? 20 : 300;
const SUBSCRIBES = kind === 'legacy' ? 10 : 100;
const DELIVERIES = 100;

interface Ops {
  answer(i: number): Promise<void>;
  subscribe(i: number): Promise<void>;
  /** One push delivery's store work (file store only). */
  deliver?(i: number): Promise<void>;
}

async function openLegacy(): Promise<Ops> {
  const { readFile } = await import('node:fs/promises');
  const { Low } = await import('lowdb');
  const { JSONFile } = await import('lowdb/node');
  type Doc = {
    subscribers: Array<Record<string, unknown>>;
    sessions: Record<string, unknown>;
    stats: { asked: number; answered: number };
  };
  const file = join(dir, 'store.json');
  const db = new Low<Doc>(new JSONFile<Doc>(file), JSON.parse(await readFile(file, 'utf8')) as Doc);
  db.data = JSON.parse(await readFile(file, 'utf8')) as Doc;
  const update = async (fn: (d: Doc) => void): Promise<void> => {
    fn(db.data);
    await db.write();
  };
  const at = new Date().toISOString();
  return {
    async answer(i) {
      await update((d) => {
        d.stats.asked++;
        d.stats.answered++;
      });
      await update((d) => {
        d.sessions[`telegram:${i}`] = { query: '新农合', shown: 1, at };
      });
    },
    async subscribe(i) {
      await update((d) => {
        d.subscribers.push({ channel: 'telegram', chatId: `new${i}`, isGroup: false, topics: [], active: true, createdAt: at, updatedAt: at });
      });
    },
  };
}

async function openNew(): Promise<Ops> {
  const { openFileStore } = await import('../src/store/file-store.ts');
  const store = await openFileStore(dir, { durable: sync !== 'nosync' });
  const at = new Date().toISOString();
  const issueKey = 'issue:公报:bench-push';
  await store.enqueue(
    issueKey,
    Array.from({ length: DELIVERIES }, (_, i) => ({ channel: 'telegram' as const, chatId: `push${i}`, topics: [] })),
    at,
  );
  const req = { owner: 'bench:1:x', channels: ['telegram' as const], limit: 1, leaseMs: 300_000 };
  return {
    async deliver() {
      const [d] = await store.claim(issueKey, { ...req, now: Date.now() });
      if (!d) throw new Error('nothing left to claim');
      await store.recordParts(d, 1, Date.now() + 300_000, at);
      await store.finish(d, { status: 'sent' }, at);
    },
    async answer(i) {
      await store.recordQuestion({ query: '新农合', key: '新农合', answered: true }, at);
      await store.setSession(`telegram:${i}`, { query: '新农合', shown: 1, at });
    },
    subscribe: (i) => store.subscribe({ channel: 'telegram', chatId: `new${i}`, isGroup: false, topics: [] }, at),
  };
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const t0 = performance.now();
const ops = kind === 'legacy' ? await openLegacy() : await openNew();
const openMs = performance.now() - t0;
const answers: number[] = [];
for (let i = 0; i < QUESTIONS; i++) {
  const t = performance.now();
  await ops.answer(i);
  answers.push(performance.now() - t);
}
const subs: number[] = [];
for (let i = 0; i < SUBSCRIBES; i++) {
  const t = performance.now();
  await ops.subscribe(i);
  subs.push(performance.now() - t);
}
const deliveries: number[] = [];
for (let i = 0; ops.deliver && i < DELIVERIES; i++) {
  const t = performance.now();
  await ops.deliver(i);
  deliveries.push(performance.now() - t);
}
const r = (x: number): number => +x.toFixed(2);
process.stdout.write(
  `${JSON.stringify({
    kind,
    openMs: r(openMs),
    answerP50: r(pct(answers, 50)),
    answerP95: r(pct(answers, 95)),
    subscribeP50: r(pct(subs, 50)),
    subscribeP95: r(pct(subs, 95)),
    ...(deliveries.length ? { deliverP50: r(pct(deliveries, 50)), deliverP95: r(pct(deliveries, 95)) } : {}),
    fsync: kind === 'file' && sync !== 'nosync',
    rssMB: r(process.memoryUsage().rss / 2 ** 20),
    maxRssMB: r(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
process.exit(0);
