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
 * space, a gap of two glyphs or more between words becomes a tab (a table column), dot leaders
 * become a space. Vertical text is read in columns from the right.
 */
export function buildLines(page: PdfPage): PdfLine[] {
  const vertical = page.runs.filter((r) => r.vertical).length > page.runs.length / 2;
  const placed = page.runs.map((r) => place(r, page)).sort((p, q) => p.d - q.d || p.a - q.a);
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
    let text = '';
    let prevEnd: number | undefined;
    let prevWord = '';
    let pendingSpace = false;
    let x0: number | undefined;
    let x1 = 0;
    let size = 0;
    for (const p of g) {
      if (!p.text.trim()) {
        if (text) pendingSpace = true;
        continue;
      }
      const gap = prevEnd === undefined ? 0 : p.a - prevEnd;
      const word = p.text.trim();
      if (prevEnd !== undefined) {
        if (gap > 2 * p.size && [...prevWord].length >= 2 && [...word].length >= 2) text += '\t';
        else if (pendingSpace || gap > p.size / 3 || /\s$/.test(text) || /^\s/.test(p.text)) text += ' ';
      }
      text += word;
      prevWord = word;
      pendingSpace = false;
      x0 ??= p.a;
      prevEnd = Math.max(p.end, prevEnd ?? p.end);
      x1 = prevEnd;
      size = Math.max(size, p.size);
    }
    if (x0 === undefined) continue;
    const cells = text.split('\t').map((c) => squeezeLetterSpacing(repairGlyphs(c).replace(LEADERS, ' ').replace(/[ \u3000\u00a0]+/g, ' ').trim()));
    const clean = cells.filter(Boolean).join('\t');
    if (!clean) continue;
    lines.push({
      text: clean,
      x0,
      x1,
      y: g[0]!.d,
      size,
      span: vertical ? page.height : page.width,
      depth: vertical ? page.width : page.height,
    });
  }
  return lines;
}
