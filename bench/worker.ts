/**
 * One measurement in its own process (so heap figures do not mix), printing one JSON line:
 *   engine <policybot|fuse.js|minisearch> <shipped|large>
 *   push <subscribers>
 */
import { largeCorpus, shippedCorpus } from './corpus.ts';
import { fuseBaseline, minisearchBaseline, ours, type Engine } from './engines.ts';
import { benchQuestions } from './queries.ts';

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (n: number): number => Math.round((n / 1048576) * 10) / 10;
const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function engine(name: string, which: string): Promise<unknown> {
  const corpus = which === 'large' ? largeCorpus(100).corpus : shippedCorpus();
  const clauses = corpus.files.reduce((s, f) => s + f.documents.reduce((a, d) => a + d.clauses.length, 0), 0);
  const e: Engine = name === 'policybot' ? ours() : name === 'fuse.js' ? fuseBaseline() : minisearchBaseline();
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  e.build(corpus);
  const buildMs = performance.now() - t0;
  gc();
  const mem = process.memoryUsage();
  let qs = benchQuestions();
  // fuse.js scans every clause per question: bound its run on the large corpus
  if (name === 'fuse.js' && which === 'large') qs = qs.filter((_, i) => i % 8 === 0);
  for (const q of qs.slice(0, 20)) e.query(q); // warm-up
  const times: number[] = [];
  for (let round = 0; round < (name === 'fuse.js' ? 1 : 5); round++) {
    for (const q of qs) {
      const s = performance.now();
      e.query(q);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  return {
    engine: name,
    corpus: which,
    clauses,
    buildMs: Math.round(buildMs),
    heapMB: mb(mem.heapUsed),
    indexHeapMB: mb(mem.heapUsed - heap0),
    rssMB: mb(mem.rss),
    externalMB: mb(mem.external + mem.arrayBuffers),
    queries: times.length,
    p50: +pct(times, 50).toFixed(3),
    p95: +pct(times, 95).toFixed(3),
    p99: +pct(times, 99).toFixed(3),
  };
}

async function push(n: number): Promise<unknown> {
  const { mkdtemp, readFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Telegraf } = await import('telegraf');
  const { FakeBotApi } = await import('../test/adapters/fake-telegram.ts');
  const { createTelegramSender } = await import('../adapters/telegram/sender.ts');
  const { systemClock } = await import('../src/clock.ts');
  const { openFileStore } = await import('../src/store/file-store.ts');
  const { broadcast } = await import('../src/push/broadcast.ts');
  const { createIssueComposer } = await import('../src/push/compose.ts');
  const { parseBulletin } = await import('../src/ingest/parse.ts');
  const { createTextTools } = await import('../src/text/toolkit.ts');
  const { createLogger } = await import('../src/logger.ts');
  const api = new FakeBotApi();
  const root = await api.start();
  const dir = await mkdtemp(join(tmpdir(), 'policybot-bench-'));
  const store = await openFileStore(join(dir, 'store'));
  const now = new Date().toISOString();
  for (let i = 0; i < n; i++) await store.subscribe({ channel: 'telegram', chatId: String(100000 + i), isGroup: false, topics: i % 5 === 0 ? ['医保'] : [] }, now);
  const md = await readFile(join(import.meta.dirname, '..', 'test', 'fixtures', 'mianyang-2013-14.md'), 'utf8');
  const file = { ...parseBulletin(md, '14.md'), file: '14.md', hash: 'h' };
  const sender = createTelegramSender(new Telegraf('1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA', { telegram: { apiRoot: root } }).telegram, systemClock);
  gc();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await broadcast('issue:bench', createIssueComposer(file, createTextTools()), {
    store,
    senders: { telegram: sender },
    clock: systemClock,
    logger: createLogger('silent'),
  });
  const secs = (performance.now() - t0) / 1000;
  const mem = process.memoryUsage();
  await api.stop();
  return { subscribers: n, sent: r.sent, seconds: +secs.toFixed(2), messagesPerSecond: Math.round(api.of('sendMessage').length / secs), rssMB: mb(mem.rss), rssGrowthMB: mb(mem.rss - rss0), heapMB: mb(mem.heapUsed) };
}

const [task, a, b] = process.argv.slice(2);
const result = task === 'engine' ? await engine(a!, b!) : task === 'push' ? await push(Number(a ?? 10000)) : undefined;
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
