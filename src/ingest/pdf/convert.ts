import type { ParseWarning } from '../../corpus/types.ts';
import { PolicyBotError } from '../../errors.ts';
import { garbledReason } from '../garbled.ts';
import { withPageMap } from '../page-map.ts';
import { printedPages, stripFurniture } from './furniture.ts';
import { bodySizeOf, layoutPages } from './layout.ts';
import { buildLines } from './lines.ts';
import { readPdf } from './read.ts';

/** A PDF turned into the markdown the structure parser reads. */
export interface ConvertedPdf {
  /** Markdown with the page-map header line (see page-map.ts). */
  text: string;
  /** Number of physical pages. */
  pageCount: number;
  /** Running headers/footers that were removed. */
  removed: string[];
  warnings: ParseWarning[];
}

/** The message for a PDF that is only scanned images. */
export const SCANNED_MESSAGE = '扫描件，没有文字层';

/**
 * Converts a PDF: text per page (pdf.js), lines rebuilt by position, page numbers and running
 * headers/footers removed, lines joined into paragraphs, and the printed page of every line kept.
 * Refuses a scan without text (INPUT_SCANNED), a PDF with no text at all (INPUT_EMPTY) and text
 * that fails the garbled-text check (INPUT_GARBLED).
 */
export async function pdfToMarkdown(bytes: Uint8Array, source: string): Promise<ConvertedPdf> {
  const pages = await readPdf(bytes, source);
  const lines = pages.map(buildLines);
  const warnings: ParseWarning[] = [];
  if (lines.every((l) => l.length === 0)) {
    if (pages.some((p) => p.images > 0)) {
      throw new PolicyBotError(
        'INPUT_SCANNED',
        `${source}: ${SCANNED_MESSAGE} — the PDF is a scanned image without a text layer; OCR is not supported, ask the publisher for the text PDF or the web page`,
        { source },
      );
    }
    const unmapped = pages.reduce((n, p) => n + (p.unmapped ?? 0), 0);
    const drawn = unmapped ? ` (only ${unmapped} glyphs drawn by Type3 fonts that map to no character)` : '';
    throw new PolicyBotError('INPUT_EMPTY', `${source}: the PDF has no text${drawn}`, { source });
  }
  pages.forEach((p, i) => {
    if (lines[i]!.length === 0 && p.images > 0)
      warnings.push({ line: 0, message: `PDF page ${p.index} is a scanned image without text; its content is not searchable` });
    if (p.unmapped) warnings.push({ line: 0, message: `PDF page ${p.index}: ${p.unmapped} glyph(s) of a Type3 font map to no character and were left out` });
  });
  const furniture = stripFurniture(lines, bodySizeOf(lines.flat()));
  const printed = printedPages(
    furniture.folios,
    pages.map((p) => p.label),
  );
  const laid = layoutPages(furniture.pages, printed);
  const reason = garbledReason(laid.lines.join('\n'));
  if (reason) throw new PolicyBotError('INPUT_GARBLED', `${source}: refused, ${reason}`, { source });
  return { text: withPageMap('pdf', laid.lines, laid.pages), pageCount: pages.length, removed: furniture.removed, warnings };
}
