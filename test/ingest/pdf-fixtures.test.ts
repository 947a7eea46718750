import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/corpus/repository.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { readPageMap } from '../../src/ingest/page-map.ts';
import { pdfToMarkdown } from '../../src/ingest/pdf/convert.ts';
import { readPdf } from '../../src/ingest/pdf/read.ts';
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

// test/fixtures/pdf is a copy of the shared PDF traps; its README gives the text each must yield.
// A page's text is compared whole, as its non-blank lines (the layout's blank lines between
// paragraphs aside), so nothing may come before or after the text the README gives.
const PAGE1 = '第一条 住房公积金缴存基数按上年度月平均工资确定。';
const PAGE2 = '第二条 城乡居民基本医疗保险参保人员享受门诊统筹待遇。';
// the README names only the first line of the Word-made PDF; its content stream also sets a
// second paragraph on page 1 and a two-column table (类别/比例, 单位/12%) on both pages
const TABLE = ['类别\t比例', '单位\t12%'];

/** A PDF of the given objects (object n is objects[n - 1], the first the catalog), with its xref. */
function minimalPdf(objects: string[]): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
const stream = (s: string): string => `<< /Length ${s.length} >>\nstream\n${s}\nendstream`;
const type3 = (differences: string, glyphs: string, extra = ''): string =>
  `<< /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [0.001 0 0 0.001 0 0] /FirstChar 65 /LastChar 67 /Widths [1000 1000 1000] /Encoding << /Type /Encoding /Differences [${differences}] >> /CharProcs << ${glyphs} >> /Resources << >>${extra} >>`;

describe('the Chinese PDF traps extract to their text, page by page', () => {
  it.each([
    ['gbk_euc_h_noembed_notounicode.pdf', 'non-embedded GBK-EUC-H font without ToUnicode', [PAGE1], [PAGE2]],
    ['ucs2h_noembed_notounicode.pdf', 'non-embedded UniGB-UCS2-H font without ToUnicode', [PAGE1], [PAGE2]],
    ['ucs2v_vertical_notounicode.pdf', 'vertical writing: ︒ comes out as 。', [PAGE1], [PAGE2]],
    [
      'embedded_subset_tounicode.pdf',
      'embedded subset TrueType with ToUnicode; its table kept as tab-separated rows',
      [PAGE1, '第二款 缴存比例为百分之五至百分之十二。', ...TABLE],
      [PAGE2, ...TABLE],
    ],
  ])('%s (%s)', async (file, _what, page1, page2) => {
    const pages = await pagesOf(file);
    expect(pages).toEqual(
      new Map([
        [1, page1],
        [2, page2],
      ]),
    );
  });

  it('pdf.js trap: a font declared WinAnsi whose bytes are GBK, letter-spaced, reads without spaces and without the Type3 mark after it', async () => {
    expect(await pagesOf('pdfjs_SimFang-variant.pdf')).toEqual(new Map([[1, ['全世界无产者，联合起来']]]));
    const { warnings } = await pdfToMarkdown(pdf('pdfjs_SimFang-variant.pdf'), 'simfang.pdf');
    expect(warnings.map((w) => w.message)).toEqual(['PDF page 1: 1 glyph(s) of a Type3 font map to no character and were left out']);
  });

  it('drops only the Type3 glyphs that map to no character: a glyph name or a ToUnicode entry gives one', async () => {
    const glyph = stream('1000 0 0 0 750 750 d1 0 0 750 750 re f');
    const toUnicode = stream(
      '/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T3 def /CMapType 2 def 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <2713> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
    );
    // F2 codes A B C: /G065 (no character), /B, /uni2605; F3 code A: /G065 with ToUnicode ✓; F1 a
    // standard font whose "A" is a letter
    const bytes = minimalPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 8 0 R >> >> >>',
      stream('BT /F1 12 Tf 72 700 Td (Article A) Tj 0 -30 Td /F2 12 Tf (ABCA) Tj ET BT /F3 12 Tf 72 600 Td (A) Tj ET'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      type3('65 /G065 /B /uni2605', '/G065 7 0 R /B 7 0 R /uni2605 7 0 R'),
      glyph,
      type3('65 /G065', '/G065 7 0 R', ' /ToUnicode 9 0 R'),
      toUnicode,
    ]);
    const [page] = await readPdf(bytes, 'type3.pdf');
    expect(page!.runs.map((run) => run.text)).toEqual(['Article A', 'B★', '✓']);
    const r = await pdfToMarkdown(bytes, 'type3.pdf');
    expect(r.warnings.map((w) => w.message)).toEqual(['PDF page 1: 2 glyph(s) of a Type3 font map to no character and were left out']);
  });

  it('pdf.js trap: 小标宋 table of contents — heading, entries with their page, no dot leaders, folio removed', async () => {
    // the README gives no text for this file: these are the lines its page sets
    const dates = ['八月一日', '八月四日', '八月十日', '九月一日', '九月十二日', '九月十四日', '九月十七日', '九月二十一日', '九月二十三日'];
    const entries = [
      '关于红军作战的原则 1',
      '对国防问题的意见 3',
      '同各方接洽要有谦逊态度 6',
      '中日战争爆发后的形势与任务 8',
      '对独立自主的山地游击战争的解释 11',
      '南方游击区谈判改编时应坚持的方针 13',
      '关于敌情判断及八路军的战略部署 15',
      '关于实行独立自主的山地游击战方针 19',
      '关于在山西开展游击战争的意见 21',
    ];
    const lines = (await pagesOf('pdfjs_XiaoBiaoSong.pdf')).get(1)!;
    expect(lines).toEqual(['# 目录', ...entries.flatMap((e, i) => [e, `（一九三七年${dates[i]}）`])]);
  });

  it('pdf.js trap: 宋体 declared WinAnsi gives 北斗星 (set large: a heading), the only Chinese on the page', async () => {
    // the page is a drawing's title block: the README's 北斗星 is its Chinese text among Latin labels
    const lines = (await pagesOf('pdfjs_issue20489.pdf')).get(1)!;
    expect(lines).toContain('# 北斗星');
    expect(lines.join('').replace(/\p{ASCII}/gu, '')).toBe('北斗星');
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
