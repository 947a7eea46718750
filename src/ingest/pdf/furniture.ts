import type { PdfLine } from './types.ts';

/** Page furniture found and removed: running headers/footers and page numbers (folios). */
export interface FurnitureResult {
  /** Body lines of every page, furniture removed. */
  pages: PdfLine[][];
  /** The folio printed on each page, when one was found. */
  folios: Array<number | undefined>;
  /** The distinct running header/footer texts that were removed. */
  removed: string[];
}

const DASH = '\\-—–－‒―_~～·•';
const FOLIO = [
  new RegExp(`^[${DASH}\\s]*[(（]?\\s*(\\d{1,4})\\s*[)）]?[${DASH}\\s]*$`, 'u'),
  /^第\s*(\d{1,4})\s*页(?:\s*[/／,，]?\s*共\s*\d+\s*页)?$/u,
  /^(\d{1,4})\s*[/／]\s*\d{1,4}$/u,
  /^[Pp]age\s+(\d{1,4})(?:\s+of\s+\d+)?$/u,
];

/** The page number a folio line shows ("—12—", "- 12 -", "第12页", "12/40"), else undefined. */
export function parseFolio(text: string): number | undefined {
  const t = text.normalize('NFKC').trim();
  for (const re of FOLIO) {
    const m = re.exec(t);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Which lines of a page are in its top or bottom band (where headers and footers live). */
function edgeLines(lines: PdfLine[]): PdfLine[] {
  const n = lines.length;
  const picked = new Set<PdfLine>();
  for (const l of [lines[0], lines[1], lines[n - 2], lines[n - 1]]) {
    if (l && (l.y < l.depth * 0.15 || l.y > l.depth * 0.85)) picked.add(l);
  }
  return [...picked];
}

const keyOf = (text: string): string => text.normalize('NFKC').replace(/\s+/g, '').replace(/\d+/g, '#');

/**
 * Removes page numbers and running headers/footers. A folio is a page-number line at the top or
 * bottom of a page. A running line is one at the top or bottom that repeats (digits aside) on at
 * least two pages and a quarter of them, in a size no larger than the body text — so a
 * document's title on its first page, set large, is never taken for the header that repeats it.
 */
export function stripFurniture(pages: PdfLine[][], bodySize: number): FurnitureResult {
  const counts = new Map<string, number>();
  for (const lines of pages) {
    for (const k of new Set(edgeLines(lines).map((l) => keyOf(l.text)))) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const minRepeat = Math.max(2, Math.ceil(pages.length / 4));
  const removed = new Set<string>();
  const folios: Array<number | undefined> = [];
  const out = pages.map((lines) => {
    let folio: number | undefined;
    const drop = new Set<PdfLine>();
    for (const l of edgeLines(lines)) {
      const f = parseFolio(l.text);
      if (f !== undefined) {
        folio ??= f;
        drop.add(l);
        continue;
      }
      if ((counts.get(keyOf(l.text)) ?? 0) >= minRepeat && l.size <= bodySize * 1.05 && pages.length > 1) {
        drop.add(l);
        removed.add(l.text);
      }
    }
    folios.push(folio);
    return lines.filter((l) => !drop.has(l));
  });
  return { pages: out, folios, removed: [...removed] };
}

/**
 * The printed page number of every page: its folio; else, counted from the nearest page that has
 * a folio; else the PDF's numeric page label; else the physical page number.
 */
export function printedPages(folios: Array<number | undefined>, labels: Array<string | undefined>): number[] {
  const known = folios.map((f, i) => (f === undefined ? undefined : { i, f })).filter((x) => x !== undefined);
  // folios must run in order with the pages; a lone number that breaks the run is not a folio
  const consistent = known.filter((k) => known.filter((o) => o.f - o.i === k.f - k.i).length * 2 >= known.length);
  return folios.map((_, i) => {
    if (consistent.length > 0) {
      const near = consistent.reduce((best, k) => (Math.abs(k.i - i) < Math.abs(best.i - i) ? k : best));
      const p = near.f + (i - near.i);
      if (p >= 1) return p;
    }
    const label = labels[i];
    if (label && /^\d+$/.test(label.trim())) return Number(label.trim());
    return i + 1;
  });
}
