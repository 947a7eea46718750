import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { splitBlocks } from '../../src/ingest/blocks.ts';
import { detectMarker } from '../../src/ingest/numbering.ts';
import { isDateLine } from '../../src/ingest/repair.ts';
import { parseDocNumberLine } from '../../src/text/docnumber.ts';

const require = createRequire(import.meta.url);
/** A full CJK font from an npm package (Noto Sans SC, OFL): pdfkit embeds the subset it uses. */
export const CJK_FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** A typeset bulletin and, for each source block (by its first markdown line), the printed page it starts on. */
export interface TypesetBulletin {
  pdf: Buffer;
  pageOfLine: Map<number, number>;
  pages: number;
}

const BODY = 12;
const TABLE = 6.5;
const HEADERS = ['绵阳市人民政府公报', '2013年第13号'];

/**
 * Typesets a markdown bulletin the way a 公报 is printed: A4, a cover page without a folio, then
 * pages with a running header (the bulletin's name on odd pages, the issue on even ones) and a
 * folio "— N —" counted from the page after the cover. Document titles are centred and large,
 * 文号 lines centred, signatures and dates right-aligned, paragraphs indented two characters,
 * tables set in columns. Each document starts on a new page, as in the printed bulletin.
 */
export async function typesetBulletin(markdown: string): Promise<TypesetBulletin> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 80, bottom: 80, left: 80, right: 80 },
    bufferPages: true,
    info: { Title: '绵阳市人民政府公报', Producer: 'policybot tests' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('cjk', CJK_FONT);
  doc.font('cjk').fontSize(BODY);
  const width = doc.page.width - 160;
  const pageOfLine = new Map<number, number>();
  let physical = 1;
  doc.on('pageAdded', () => physical++);
  const folio = (): number => Math.max(1, physical - 1);
  const ensure = (h: number): void => {
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const blocks = splitBlocks(markdown);
  let documents = 0;
  blocks.forEach((b, k) => {
    const next = blocks[k + 1];
    const startsDocument = b.kind === 'heading' && b.level === 1 && next && parseDocNumberLine(next.text);
    if (startsDocument && documents++ >= 0 && physical > 1) doc.addPage();
    else if (b.kind === 'heading' && b.text === '目录') doc.addPage();
    if (b.kind === 'table') {
      // the first column holds the long labels; cells stay on one line
      const rows = b.rows ?? [];
      const cols = Math.max(...rows.map((r) => r.length));
      const first = cols > 1 ? width * 0.41 : width;
      const colW = cols > 1 ? (width - first) / (cols - 1) : width;
      pageOfLine.set(b.line, folio());
      doc.fontSize(TABLE);
      for (const row of rows) {
        ensure(TABLE * 2);
        const y = doc.y;
        row.forEach((cell, c) => {
          if (cell) doc.text(cell, 80 + (c === 0 ? 0 : first + (c - 1) * colW), y, { lineBreak: false });
        });
        doc.x = 80;
        doc.y = y + TABLE * 1.8;
      }
      doc.fontSize(BODY).moveDown(0.5);
      return;
    }
    // titles (# ) and attachment titles (## without a numbering marker) are set centred and large
    const heading = b.kind === 'heading' && (b.level === 1 || !detectMarker(b.text));
    const size = heading ? (b.level === 1 ? 18 : 16) : BODY;
    ensure(size * 2.5);
    pageOfLine.set(b.line, folio());
    doc.fontSize(size);
    const signature = !heading && b.text.length <= 20 && (isDateLine(b.text) || (next !== undefined && isDateLine(next.text) && !/[。：]$/.test(b.text)));
    const opts = { width, lineGap: 6 };
    if (heading) doc.text(b.text, 80, doc.y, { ...opts, align: 'center' });
    else if (parseDocNumberLine(b.text)) doc.text(b.text, 80, doc.y, { ...opts, align: 'center' });
    else if (signature) doc.text(b.text, 80, doc.y, { ...opts, align: 'right' });
    else if (b.text.includes('\n')) for (const l of b.lines) doc.text(l.replace(/\s+$/, ''), 80, doc.y, opts);
    else doc.text(b.text, 80, doc.y, { ...opts, indent: BODY * 2 });
    doc.moveDown(0.3);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    if (i === 0) continue;
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(9).text(HEADERS[(i + 1) % 2]!, 80, 40, { width, align: 'center', lineBreak: false });
    doc
      .moveTo(80, 56)
      .lineTo(80 + width, 56)
      .stroke();
    doc.fontSize(10).text(`— ${i} —`, 80, doc.page.height - 50, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), pageOfLine, pages: range.count };
}

/**
 * Typesets one document as many bulletins print it: title and 文号 centred across the page, the
 * text in two justified columns (pdfkit flows it down the left column, then the right, then on
 * the next page), a folio under each page.
 */
export async function typesetTwoColumns(markdown: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 70, bottom: 70, left: 60, right: 60 }, bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('cjk', CJK_FONT).font('cjk');
  const width = doc.page.width - 120;
  const [title, number, ...body] = splitBlocks(markdown);
  doc.fontSize(18).text(title!.text, { width, align: 'center' });
  doc.moveDown(0.5).fontSize(BODY).text(number!.text, { width, align: 'center' });
  doc.moveDown(1);
  doc.fontSize(10.5).text(body.map((b) => b.text).join('\n'), { width, columns: 2, columnGap: 24, indent: 21, paragraphGap: 4, lineGap: 3, align: 'justify' });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(10).text(`- ${i + 1} -`, 60, doc.page.height - 45, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
