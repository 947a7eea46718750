import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../adapters/telegram/sender.ts';
import { runPushCycle } from '../../src/push/cycle.ts';
import { createPacer } from '../../src/push/pacer.ts';
import { PermanentSendError } from '../../src/push/sender.ts';
import { nextPushRun } from '../../src/push/scheduler.ts';
import { Telegraf } from 'telegraf';
import { FakeBotApi } from '../adapters/fake-telegram.ts';
import { FIXTURES } from '../helpers.ts';
import { pushHarness, RecordingChannel } from './harness.ts';

const flat = (r: { blocks: Array<{ kind: string; text?: string; title?: string; items?: string[]; citation?: { label: string } }> }) =>
  r.blocks.map((b) => [b.text, b.title, ...(b.items ?? []), b.citation?.label].filter(Boolean).join('\n')).join('\n');

let api: FakeBotApi | undefined;
let server: Server | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('new-issue push', () => {
  it('a new inbox file reaches every subscriber once over the Telegram sender; a second run sends nothing', async () => {
    const h = await pushHarness();
    api = new FakeBotApi();
    const root = await api.start();
    const sender = createTelegramSender(new Telegraf('1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA', { telegram: { apiRoot: root } }).telegram, h.clock);
    await h.subscribe([{ chatId: '11' }, { chatId: '12' }, { chatId: '13', topics: ['医保'] }]);
    // first run: the shipped issue is baseline, nothing is pushed
    expect((await runPushCycle(h.deps({ telegram: sender }))).broadcasts).toEqual([]);
    await h.drop('mianyang-2013-14.md');
    const r = await runPushCycle(h.deps({ telegram: sender }));
    expect(r.ingested).toEqual(['mianyang-2013-14.md']);
    expect(r.broadcasts).toMatchObject([{ issueKey: 'issue:绵阳市人民政府公报:2013:14', sent: 3, failed: 0, announced: true }]);
    const msgs = api.of('sendMessage').map((c) => [String(c.body.chat_id), String(c.body.text)]);
    expect(msgs.map(([id]) => id).sort()).toEqual(['11', '12', '13']);
    const all = msgs.find(([id]) => id === '11')![1];
    expect(all).toContain('新一期：绵阳市人民政府公报 2013年第14号（总第394号）（2013-08-15）');
    expect(all).toContain('绵府发〔2013〕21号 绵阳市人民政府关于开展城乡居民大病保险工作的实施意见');
    expect(all).toContain('绵府办发〔2013〕60号');
    expect(h.corpus.current().corpus.files).toHaveLength(2);
    expect(await readdir(join(h.inbox, 'processed'))).toEqual(['mianyang-2013-14.md']);
    // second run: nothing new
    const again = await runPushCycle(h.deps({ telegram: sender }));
    expect(again.broadcasts).toEqual([]);
    expect(api.of('sendMessage')).toHaveLength(3);
    expect(await h.store.announcements()).toContainEqual(expect.objectContaining({ issueKey: 'issue:绵阳市人民政府公报:2013:14', sent: 3, failed: 0 }));
    // the bot now answers from the new issue
    const { answerQuestion } = await import('../../src/answer/answer.ts');
    expect(answerQuestion(h.corpus.current().index, '大病保险筹资标准是多少').hits[0]!.citation.docNumber).toBe('绵府发〔2013〕21号');
  });

  it('filters by topic: matching documents and cited clauses; a one-line notice when nothing matches', async () => {
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    await h.subscribe([
      { chatId: 'a', topics: ['医保'] },
      { chatId: 'b', topics: ['公租房'] },
      { chatId: 'c', topics: ['养老院', '驾照'] },
    ]);
    await runPushCycle(h.deps({ telegram: ch }));
    await h.drop('mianyang-2013-14.md');
    await runPushCycle(h.deps({ telegram: ch }));
    const by = Object.fromEntries(ch.delivered.map((d) => [d.chatId, d.reply]));
    const a = flat(by.a!);
    expect(a).toContain('与“医保”相关');
    expect(a).toContain('绵府发〔2013〕21号');
    expect(a).not.toContain('绵府办发〔2013〕60号 绵阳市人民政府办公室关于加快公共租赁住房建设的通知');
    expect(by.a!.blocks.some((b) => b.kind === 'clause' && b.citation.label.includes('（绵府发〔2013〕21号）'))).toBe(true);
    const b = flat(by.b!);
    expect(b).toContain('公共租赁住房');
    expect(b).toContain('（绵府办发〔2013〕60号）');
    expect(flat(by.c!)).toMatch(/共2个文件，没有与“养老院、驾照”直接相关的内容/);
  });

  it('resumes an interrupted broadcast: nobody skipped, nobody messaged twice, the failed one after its backoff', async () => {
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    await h.subscribe(['1', '2', '3', '4', '5'].map((chatId) => ({ chatId })));
    await runPushCycle(h.deps({ telegram: ch }));
    await h.drop('mianyang-2013-14.md');
    ch.crashOnSend = 3;
    const first = await runPushCycle(h.deps({ telegram: ch }, { concurrency: 1 }));
    expect(first.broadcasts).toMatchObject([{ sent: 2, retrying: 1, announced: false, stoppedBy: 'process crashed', pendingByChannel: { telegram: 3 } }]);
    expect(ch.delivered.map((d) => d.chatId)).toEqual(['1', '2']);
    // "restart": the store reopened from disk says who got it
    await h.reopen();
    expect(await h.store.announced()).not.toContain('issue:绵阳市人民政府公报:2013:14');
    ch.crashOnSend = undefined;
    const r = await runPushCycle(h.deps({ telegram: ch }), { resumeOnly: true });
    expect(r.broadcasts).toMatchObject([{ sent: 2, announced: false, pendingByChannel: { telegram: 1 } }]);
    expect(ch.delivered.map((d) => d.chatId).sort()).toEqual(['1', '2', '4', '5']);
    // the one that failed temporarily is tried again once its backoff (1 min) has passed
    h.clock.advance(60_000);
    expect((await runPushCycle(h.deps({ telegram: ch }))).broadcasts).toMatchObject([{ sent: 1, announced: true }]);
    expect((await runPushCycle(h.deps({ telegram: ch }))).broadcasts).toEqual([]);
    expect(ch.delivered.map((d) => d.chatId).sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('a blocked bot marks that subscriber inactive and the others still get the push', async () => {
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    await h.subscribe([{ chatId: '1' }, { chatId: '2' }, { chatId: '3' }]);
    await runPushCycle(h.deps({ telegram: ch }));
    await h.drop('mianyang-2013-14.md');
    ch.failFor.set('2', new PermanentSendError('403: Forbidden: bot was blocked by the user', 'blocked'));
    const r = await runPushCycle(h.deps({ telegram: ch }));
    expect(r.broadcasts[0]).toMatchObject({ sent: 2, failed: 1 });
    expect(await h.store.subscriber({ channel: 'telegram', chatId: '2' })).toMatchObject({ active: false, inactiveReason: 'blocked' });
    expect(r.broadcasts[0]).toMatchObject({ announced: true });
    expect(await h.store.announcements()).toContainEqual(expect.objectContaining({ sent: 2, failed: 1 }));
  });

  it('moves a malformed file aside with its reason while a good one is pushed', async () => {
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    await h.subscribe([{ chatId: '1' }]);
    await runPushCycle(h.deps({ telegram: ch }));
    await h.drop('broken-issue.md');
    await h.drop('mianyang-2013-14.md');
    const r = await runPushCycle(h.deps({ telegram: ch }));
    expect(r.broadcasts).toHaveLength(1);
    expect(ch.delivered).toHaveLength(1);
    expect(await readdir(join(h.inbox, 'rejected'))).toEqual(['broken-issue.md', 'broken-issue.md.reason.txt']);
    expect(await readFile(join(h.inbox, 'rejected', 'broken-issue.md.reason.txt'), 'utf8')).toMatch(/no document found/);
    expect(h.logs.join('')).toMatch(/inbox file rejected/);
  });

  it('reads a JSON feed and an RSS feed on 127.0.0.1, with a timeout and a size limit', async () => {
    const md = await readFile(join(FIXTURES, 'mianyang-2013-14.md'));
    server = createServer((req, res) => {
      if (req.url === '/index.json')
        return res.end(JSON.stringify({ issues: [{ url: '/files/14.md' }, { url: '/files/slow.md' }, { url: '/files/huge.md' }] }));
      if (req.url === '/feed.rss') return res.end('<rss><channel><item><title>14</title><link>/files/14.md</link></item></channel></rss>');
      if (req.url === '/files/14.md') return res.end(md);
      if (req.url === '/files/huge.md') return res.end(Buffer.alloc(300_000, 0x41));
      if (req.url === '/files/slow.md') return void setTimeout(() => res.end(md), 2000);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    await h.subscribe([{ chatId: '1' }]);
    await runPushCycle(h.deps({ telegram: ch }));
    const limits = { timeoutMs: 300, maxBytes: 200_000 };
    const r = await runPushCycle(h.deps({ telegram: ch }, { feed: { url: `${base}/index.json`, fetch: (u, i) => fetch(u, i), limits } }));
    expect(r.ingested).toEqual(['14.md']);
    expect(r.feedErrors.join('\n')).toMatch(/slow\.md: timed out after 300 ms/);
    expect(r.feedErrors.join('\n')).toMatch(/huge\.md: larger than 200000 bytes/);
    expect(ch.delivered).toHaveLength(1);
    // the RSS feed lists the same issue: nothing new
    const rss = await runPushCycle(h.deps({ telegram: ch }, { feed: { url: `${base}/feed.rss`, fetch: (u, i) => fetch(u, i), limits } }));
    expect(rss.broadcasts).toEqual([]);
    expect(ch.delivered).toHaveLength(1);
  });

  it('paces sends on the fake clock: overall rate and per-chat interval', async () => {
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    await h.subscribe(['1', '2', '3', '4', '5'].map((chatId) => ({ chatId })));
    await runPushCycle(h.deps({ telegram: ch }));
    await h.drop('mianyang-2013-14.md');
    await runPushCycle(h.deps({ telegram: ch }, { pacers: { telegram: createPacer(h.clock, 2, 1000) } }));
    const times = ch.delivered.map((d) => d.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(500);
    expect(times[times.length - 1]! - times[0]!).toBe(2000);
    // one chat: at least the per-chat interval between its messages
    const p = createPacer(h.clock, 30, 1000);
    const t0 = h.clock.now();
    await p.wait('x');
    await p.wait('x');
    await p.wait('y');
    expect(h.clock.now() - t0).toBeCloseTo(1000 + 1000 / 30, 3);
  });

  it('schedules the daily run at the configured time in the configured zone', () => {
    expect(nextPushRun('09:00', 'Asia/Shanghai', new Date('2026-01-01T00:30:00Z'))!.toISOString()).toBe('2026-01-01T01:00:00.000Z');
    expect(nextPushRun('09:00', 'Asia/Shanghai', new Date('2026-01-01T01:30:00Z'))!.toISOString()).toBe('2026-01-02T01:00:00.000Z');
    expect(nextPushRun('18:30', 'Europe/Berlin', new Date('2026-07-01T00:00:00Z'))!.toISOString()).toBe('2026-07-01T16:30:00.000Z');
  });

  it('dry run previews without sending, ingesting or moving anything', async () => {
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    await h.subscribe([{ chatId: '1', topics: ['医保'] }]);
    await runPushCycle(h.deps({ telegram: ch }));
    await h.drop('mianyang-2013-14.md');
    const r = await runPushCycle(h.deps({ telegram: ch }), { dryRun: true });
    expect(r.previews).toHaveLength(1);
    expect(r.previews[0]!.pushes).toHaveLength(1);
    expect(ch.delivered).toEqual([]);
    expect(await readdir(h.inbox)).toEqual(['mianyang-2013-14.md']);
    expect(h.corpus.current().corpus.files).toHaveLength(1);
  });
});
