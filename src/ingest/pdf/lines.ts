import { repairGlyphs } from '../../text/glyphs.ts';
import type { PdfLine, PdfPage, TextRun } from './types.ts';

/** A run placed in reading coordinates: along the line (`a`), and down the page (`d`). */
interface Placed {
  text: string;
  a: number;
  end: number;
  d: number;
  size: number;
}

const CJK_CHAR = '[\\u3400-\\u9fff\\uf900-\\ufaff\\u3000-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20“”‘’…—]';
const SPACED_PAIR = new RegExp(`(?<=${CJK_CHAR}) (?=${CJK_CHAR})`, 'gu');
const TIGHT_PAIR = new RegExp(`${CJK_CHAR}(?=${CJK_CHAR})`, 'gu');
const LEADERS = /[⋯…·•．.]{4,}|[-_]{6,}/gu;

function place(run: TextRun, page: PdfPage): Placed {
  // vertical columns run right to left, glyphs top to bottom: a column is a "line" whose
  // position down the page is its distance from the right edge
  if (run.vertical) return { text: run.text, a: page.height - run.y, end: page.height - run.y + run.advance, d: page.width - run.x, size: run.size };
  return { text: run.text, a: run.x, end: run.x + run.advance, d: page.height - run.y, size: run.size };
}

/**
 * Removes the spaces of letter-spaced Chinese ("全 世 界 无 产 者" → "全世界无产者") while keeping a
 * real gap such as the one after "第一条": a line counts as letter-spaced when most of its
 * neighbouring Chinese characters are separated by a space.
 */
export function squeezeLetterSpacing(line: string): string {
  const spaced = line.match(SPACED_PAIR)?.length ?? 0;
  const tight = line.match(TIGHT_PAIR)?.length ?? 0;
  return spaced > 0 && spaced >= tight ? line.replace(SPACED_PAIR, '') : line;
}

/**
 * Rebuilds the lines of one page from its text runs: runs whose baselines are within half a
 * glyph are one line, ordered along the line; a gap of a third of a glyph or more becomes a
 * space, a gap of more than a glyph between words becomes a tab (a table column), dot leaders
 * become a space. Vertical text is read in columns from the right.
 */
export function buildLines(page: PdfPage): PdfLine[] {
  const vertical = page.runs.filter((r) => r.vertical).length > page.runs.length / 2;
  const placed = page.runs.map((r) => place(r, page));
  const make = (runs: Placed[], column?: number): PdfLine[] => groupLines(runs, page, vertical, column);
  return (vertical ? undefined : readColumns(placed, page.width, make)) ?? make(placed);
}

/**
 * Two-column pages: a gutter near the middle that (almost) no text crosses, with at least three
 * full lines of text on each side, is a column break. The page is then read in bands: the left
 * column, then the right, down to each line that spans both (a title across the page).
 * Undefined when the page is not set in two columns (tables have gaps, but no full lines).
 */
function readColumns(placed: Placed[], width: number, make: (runs: Placed[], column?: number) => PdfLine[]): PdfLine[] | undefined {
  const text = placed.filter((p) => p.text.trim());
  if (text.length < 10) return undefined;
  const crossing = (x: number): number => text.filter((p) => p.a < x && p.end > x).length;
  let min = Infinity;
  let band: [number, number] = [0, 0];
  for (let x = Math.round(width * 0.3); x <= width * 0.7; x++) {
    const c = crossing(x);
    if (c < min) [min, band] = [c, [x, x]];
    else if (c === min && band[1] === x - 1) band[1] = x;
  }
  if (min > text.length * 0.05 || band[1] - band[0] < 4) return undefined;
  const gutter = (band[0] + band[1]) / 2;
  const spans = (p: Placed): boolean => p.text.trim() !== '' && p.a < gutter && p.end > gutter;
  const left = make(
    placed.filter((p) => !spans(p) && p.a < gutter),
    0,
  );
  const right = make(
    placed.filter((p) => !spans(p) && p.a >= gutter),
    1,
  );
  const across = make(placed.filter(spans));
  const full = (lines: PdfLine[], from: number, to: number): number => lines.filter((l) => l.x1 - l.x0 >= (to - from) * 0.6).length;
  const leftEdge = Math.min(...left.map((l) => l.x0));
  const rightEdge = Math.max(...right.map((l) => l.x1));
  if (full(left, leftEdge, gutter) < 3 || full(right, gutter, rightEdge) < 3) return undefined;
  const out: PdfLine[] = [];
  let top = -Infinity;
  for (const cut of [...across.map((l) => l.y), Infinity]) {
    out.push(...left.filter((l) => l.y >= top && l.y < cut), ...right.filter((l) => l.y >= top && l.y < cut));
    const spanning = across.find((l) => l.y === cut);
    if (spanning) out.push(spanning);
    top = cut;
  }
  return out;
}

/** Groups runs into lines: runs whose baselines are within half a glyph are one line. */
function groupLines(runs: Placed[], page: PdfPage, vertical: boolean, column: number | undefined): PdfLine[] {
  const placed = [...runs].sort((p, q) => p.d - q.d || p.a - q.a);
  const groups: Placed[][] = [];
  for (const p of placed) {
    const g = groups[groups.length - 1];
    const ref = g?.find((x) => x.text.trim());
    if (g && (!ref || Math.abs(ref.d - p.d) <= 0.5 * Math.max(ref.size, p.size))) g.push(p);
    else groups.push([p]);
  }
  const lines: PdfLine[] = [];
  for (const g of groups) {
    g.sort((p, q) => p.a - q.a);
    // the runs of the line with the gap before each; whitespace runs only mark a space
    const words: Array<{ text: string; a: number; gap: number; spaced: boolean; size: number }> = [];
    let prevEnd: number | undefined;
    let spaced = false;
    let size = 0;
    for (const p of g) {
      if (!p.text.trim()) {
        spaced = words.length > 0;
        continue;
      }
      words.push({
        text: p.text.trim(),
        a: p.a,
        gap: prevEnd === undefined ? 0 : p.a - prevEnd,
        spaced: spaced || /^\s/.test(p.text) || /\s$/.test(words[words.length - 1]?.text ?? ''),
        size: p.size,
      });
      spaced = /\s$/.test(p.text);
      prevEnd = Math.max(p.end, prevEnd ?? p.end);
      size = Math.max(size, p.size);
    }
    if (words.length === 0) continue;
    // a column gap: more than a glyph between words of two characters or more (so letter-spaced
    // "目  录" stays a heading), or a very wide gap; once a line has one, it is a table row and
    // any gap wider than a glyph is a column
    const chars = (t: string): number => [...t].length;
    const definite = words.some((w, i) => i > 0 && ((w.gap > 1.2 * w.size && chars(words[i - 1]!.text) >= 2 && chars(w.text) >= 2) || w.gap > 2.5 * w.size));
    const cells: Array<{ text: string; x: number }> = [{ text: '', x: words[0]!.a }];
    words.forEach((w, i) => {
      const cell = cells[cells.length - 1]!;
      if (i > 0 && definite && w.gap > 0.8 * w.size) cells.push({ text: w.text, x: w.a });
      else cell.text += i > 0 && (w.spaced || w.gap > w.size / 3) ? ` ${w.text}` : w.text;
    });
    const cleaned = cells
      .map((c) => ({
        text: squeezeLetterSpacing(
          repairGlyphs(c.text)
            .replace(LEADERS, ' ')
            .replace(/[ \u3000\u00a0]+/g, ' ')
            .trim(),
        ),
        x: c.x,
      }))
      .filter((c) => c.text);
    if (cleaned.length === 0) continue;
    lines.push({
      text: cleaned.map((c) => c.text).join('\t'),
      ...(cleaned.length > 1 ? { cells: cleaned.map((c) => c.x) } : {}),
      ...(column !== undefined ? { column } : {}),
      x0: words[0]!.a,
      x1: prevEnd!,
      y: g[0]!.d,
      size,
      span: vertical ? page.height : page.width,
      depth: vertical ? page.width : page.height,
    });
  }
  return lines;
}
