import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/corpus/repository.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { readPageMap } from '../../src/ingest/page-map.ts';
import { pdfToMarkdown } from '../../src/ingest/pdf/convert.ts';
import PDFDocument from 'pdfkit';
import { FIXTURES, tempDataDir } from '../helpers.ts';
import { CJK_FONT } from './bulletin-pdf.ts';

const pdf = (f: string) => readFileSync(join(FIXTURES, 'pdf', f));

/** The converted text of each printed page: its non-blank lines. */
async function pagesOf(f: string): Promise<Map<number, string[]>> {
  const { text } = await pdfToMarkdown(pdf(f), f);
  const map = readPageMap(text)!;
  const out = new Map<number, string[]>();
  map.text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const p = map.pageAt!(i + 1)!;
    out.set(p, [...(out.get(p) ?? []), line]);
  });
  return out;
}

// test/fixtures/pdf is a copy of the shared PDF traps; its README gives the text each must yield
const PAGE1 = '第一条 住房公积金缴存基数按上年度月平均工资确定。';
const PAGE2 = '第二条 城乡居民基本医疗保险参保人员享受门诊统筹待遇。';

describe('the Chinese PDF traps extract to their text, page by page', () => {
  it.each([
    ['gbk_euc_h_noembed_notounicode.pdf', 'non-embedded GBK-EUC-H font without ToUnicode'],
    ['ucs2h_noembed_notounicode.pdf', 'non-embedded UniGB-UCS2-H font without ToUnicode'],
    ['ucs2v_vertical_notounicode.pdf', 'vertical writing: ︒ comes out as 。'],
    ['embedded_subset_tounicode.pdf', 'embedded subset TrueType with ToUnicode'],
  ])('%s (%s)', async (file) => {
    const pages = await pagesOf(file);
    expect([...pages.keys()]).toEqual([1, 2]);
    expect(pages.get(1)![0]).toBe(PAGE1);
    expect(pages.get(2)![0]).toBe(PAGE2);
    expect([...pages.values()].flat().join('')).not.toMatch(/[\ufe10-\ufe48\ufffd]/u);
  });

  it('keeps the table of the Word-made PDF as tab-separated rows', async () => {
    const pages = await pagesOf('embedded_subset_tounicode.pdf');
    expect(pages.get(1)).toEqual([PAGE1, '第二款 缴存比例为百分之五至百分之十二。', '类别\t比例', '单位\t12%']);
  });

  it('pdf.js trap: a font declared WinAnsi whose bytes are GBK, letter-spaced, reads without spaces', async () => {
    const pages = await pagesOf('pdfjs_SimFang-variant.pdf');
    expect(pages.get(1)![0]!.startsWith('全世界无产者，联合起来')).toBe(true);
  });

  it('pdf.js trap: 小标宋 table of contents — heading, entries with their page, no dot leaders, folio removed', async () => {
    const lines = (await pagesOf('pdfjs_XiaoBiaoSong.pdf')).get(1)!;
    expect(lines[0]).toBe('# 目录');
    expect(lines).toContain('关于红军作战的原则 1');
    expect(lines).toContain('（一九三七年八月一日）');
    expect(lines).toContain('关于在山西开展游击战争的意见 21');
    expect(lines.join('')).not.toMatch(/[⋯１]/u);
    expect(lines).toHaveLength(19);
  });

  it('pdf.js trap: 宋体 declared WinAnsi gives 北斗星 (set large: a heading)', async () => {
    const lines = (await pagesOf('pdfjs_issue20489.pdf')).get(1)!;
    expect(lines).toContain('# 北斗星');
  });

  it('refuses the image-only scan with 扫描件，没有文字层 and writes nothing', async () => {
    const dir = await tempDataDir();
    const before = await readdir(join(dir, 'bulletins'));
    const err = await ingestFile(dir, join(FIXTURES, 'pdf', 'scanned_image_only.pdf')).catch((e: unknown) => e);
    expect(isPolicyBotError(err, 'INPUT_SCANNED')).toBe(true);
    expect((err as Error).message).toContain('扫描件，没有文字层');
    expect(await readdir(join(dir, 'bulletins'))).toEqual(before);
  });

  it('ingests the text pages of a partly scanned PDF and names the scanned page in a warning', async () => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => doc.on('end', () => r()));
    doc.registerFont('cjk', CJK_FONT).font('cjk').fontSize(12).text('第一条 本办法自发布之日起施行。');
    doc.addPage().image(`${CJK_FONT}.png`, 50, 50, { width: 400 });
    doc.end();
    await done;
    const r = await pdfToMarkdown(Buffer.concat(chunks), 'part.pdf');
    expect(r.text).toContain('第一条 本办法自发布之日起施行。');
    expect(r.warnings.map((w) => w.message)).toEqual(['PDF page 2 is a scanned image without text; its content is not searchable']);
  });

  it('refuses a password-protected PDF with what to do', async () => {
    const doc = new PDFDocument({ userPassword: 'secret', ownerPassword: 'owner' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => doc.on('end', () => r()));
    doc.registerFont('cjk', CJK_FONT).font('cjk').text('第一条 本办法自发布之日起施行。');
    doc.end();
    await done;
    const err = await pdfToMarkdown(Buffer.concat(chunks), 'locked.pdf').catch((e: unknown) => e);
    expect(isPolicyBotError(err, 'INPUT_ENCRYPTED')).toBe(true);
    expect((err as Error).message).toBe('locked.pdf: the PDF is password-protected; save a copy without a password and ingest that');
  });

  it('refuses a truncated PDF as damaged, and a file named .pdf that is not one', async () => {
    const bytes = pdf('embedded_subset_tounicode.pdf');
    const err = await pdfToMarkdown(bytes.subarray(0, 300), 'cut.pdf').catch((e: unknown) => e);
    expect(isPolicyBotError(err, 'INPUT_CORRUPT')).toBe(true);
    expect((err as Error).message).toMatch(/^cut\.pdf: not a readable PDF/);
    const dir = await tempDataDir();
    const notPdf = await ingestFile(dir, 'x.pdf', new TextEncoder().encode('hello')).catch((e: unknown) => e);
    expect(isPolicyBotError(notPdf, 'INPUT_CORRUPT')).toBe(true);
  });
});
