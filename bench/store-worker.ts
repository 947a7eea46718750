/**
 * One store measurement in its own process: `store-worker.ts <file|legacy> <dir>` opens the data
 * made by bench/store.ts, then times what a chat answer does to the store (count the question,
 * save the paging state) and what a subscribe does, and reports RSS. `legacy` is the version-1
 * behaviour this replaced: one lowdb JSON document rewritten whole (temp file + rename) on
 * every write.
 */
import { join } from 'node:path';

const [kind, dir] = process.argv.slice(2) as ['file' | 'legacy', string];
const QUESTIONS = kind === 'legacy' ? 20 : 300;
const SUBSCRIBES = kind === 'legacy' ? 10 : 100;

interface Ops {
  answer(i: number): Promise<void>;
  subscribe(i: number): Promise<void>;
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
  const store = await openFileStore(dir);
  const at = new Date().toISOString();
  return {
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
const r = (x: number): number => +x.toFixed(2);
process.stdout.write(
  `${JSON.stringify({
    kind,
    openMs: r(openMs),
    answerP50: r(pct(answers, 50)),
    answerP95: r(pct(answers, 95)),
    subscribeP50: r(pct(subs, 50)),
    subscribeP95: r(pct(subs, 95)),
    rssMB: r(process.memoryUsage().rss / 2 ** 20),
    maxRssMB: r(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
process.exit(0);
