import { copyFile, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { runPushCycle } from '../../src/push/cycle.ts';
import { readInbox } from '../../src/push/inbox.ts';
import { lineSink, FIXTURES } from '../helpers.ts';
import { announcedHarness, serveLoopback } from './harness.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('the inbox takes PDFs and web pages', () => {
  it('keeps a government web page, moves a scanned PDF to rejected/ with its reason', async () => {
    const inbox = await mkdtemp(join(tmpdir(), 'policybot-inbox-'));
    await mkdir(inbox, { recursive: true });
    await copyFile(join(FIXTURES, 'html', 'plain-layout.html'), join(inbox, 'plain-layout.html'));
    await copyFile(join(FIXTURES, 'pdf', 'scanned_image_only.pdf'), join(inbox, 'scan.pdf'));
    const logs: string[] = [];
    const logger = createLogger('info', [], lineSink(logs));
    const good = await readInbox(inbox, logger);
    expect(good.map((f) => f.name)).toEqual(['plain-layout.html']);
    expect(await readdir(join(inbox, 'rejected'))).toEqual(['scan.pdf', 'scan.pdf.reason.txt']);
    expect(await readFile(join(inbox, 'rejected', 'scan.pdf.reason.txt'), 'utf8')).toContain('扫描件，没有文字层');
    expect(logs.join('')).toMatch(/inbox file rejected/);
  });
});

describe('feed links to web pages and PDFs', () => {
  it('ingests a linked CMS page and pushes it; a linked scan is refused', async () => {
    const page = await readFile(join(FIXTURES, 'html', 'gov-metadata-table.html'));
    const scan = await readFile(join(FIXTURES, 'pdf', 'scanned_image_only.pdf'));
    const served = await serveLoopback((req, res) => {
      if (req.url === '/rss.xml') {
        return res.end(
          '<rss><channel><item><title>a</title><link>/zhengce/content_5432.htm</link></item><item><title>b</title><link>/gongbao/scan.pdf</link></item></channel></rss>',
        );
      }
      if (req.url === '/zhengce/content_5432.htm') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      if (req.url === '/gongbao/scan.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(scan);
      res.writeHead(404).end();
    });
    server = served.server;
    const { h, ch } = await announcedHarness();
    const limits = { timeoutMs: 5000, maxBytes: 1_000_000 };
    const r = await runPushCycle(h.deps({ telegram: ch }, { feed: { url: `${served.base}/rss.xml`, fetch: (u, i) => fetch(u, i), limits } }));
    expect(r.ingested).toEqual(['content_5432.md']);
    expect(r.rejected).toBe(1);
    expect(h.logs.join('')).toMatch(/scan\.pdf.*扫描件，没有文字层/);
    expect(r.broadcasts).toHaveLength(1);
    expect(ch.delivered).toHaveLength(1);
    expect(JSON.stringify(ch.delivered[0])).toContain('京财教育〔2018〕2025号');
  }, 60_000);
});
