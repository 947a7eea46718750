/**
 * `npm run bench:push [-- N]`: push fan-out of one bulletin issue to N subscribers (default
 * 10,000) through the Telegram sender with pacing off, against a fake Bot API on 127.0.0.1,
 * printing one JSON line (messages per second, RSS growth). Search speed and memory at scale are
 * `npm run bench` (bench/scale.ts).
 */

const mb = (n: number): number => Math.round((n / 1048576) * 10) / 10;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

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
  for (let i = 0; i < n; i++)
    await store.subscribe({ channel: 'telegram', chatId: String(100000 + i), isGroup: false, topics: i % 5 === 0 ? ['医保'] : [] }, now);
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
  return {
    subscribers: n,
    sent: r.sent,
    seconds: +secs.toFixed(2),
    messagesPerSecond: Math.round(api.of('sendMessage').length / secs),
    rssMB: mb(mem.rss),
    rssGrowthMB: mb(mem.rss - rss0),
    heapMB: mb(mem.heapUsed),
  };
}

const args = process.argv.slice(2).filter((a) => a !== 'push');
const result = await push(Number(args[0] ?? 10000));
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
