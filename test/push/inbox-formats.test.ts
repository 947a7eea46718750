import { copyFile, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { readInbox } from '../../src/push/inbox.ts';
import { FIXTURES } from '../helpers.ts';

describe('the inbox takes PDFs and web pages', () => {
  it('keeps a government web page, moves a scanned PDF to rejected/ with its reason', async () => {
    const inbox = await mkdtemp(join(tmpdir(), 'policybot-inbox-'));
    await mkdir(inbox, { recursive: true });
    await copyFile(join(FIXTURES, 'html', 'plain-layout.html'), join(inbox, 'plain-layout.html'));
    await copyFile(join(FIXTURES, 'pdf', 'scanned_image_only.pdf'), join(inbox, 'scan.pdf'));
    const logs: string[] = [];
    const logger = createLogger('info', [], new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
    const good = await readInbox(inbox, logger);
    expect(good.map((f) => f.name)).toEqual(['plain-layout.html']);
    expect(await readdir(join(inbox, 'rejected'))).toEqual(['scan.pdf', 'scan.pdf.reason.txt']);
    expect(await readFile(join(inbox, 'rejected', 'scan.pdf.reason.txt'), 'utf8')).toContain('扫描件，没有文字层');
    expect(logs.join('')).toMatch(/inbox file rejected/);
  });
});
