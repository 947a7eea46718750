import type { PdfLine } from './types.ts';

/** Text lines ready for the markdown parser, with the printed page of every line. */
export interface LaidOut {
  lines: string[];
  /** pages[i] = printed page of lines[i]. */
  pages: number[];
}

/** The most common value of `f` over the items, weighted by text length. */
function mode<T>(items: T[], f: (t: T) => number, weight: (t: T) => number): number | undefined {
  const w = new Map<number, number>();
  for (const t of items) w.set(f(t), (w.get(f(t)) ?? 0) + weight(t));
  let best: number | undefined;
  let bestW = -1;
  for (const [k, v] of w) if (v > bestW || (v === bestW && k < best!)) [best, bestW] = [k, v];
  return best;
}

/** Body font size of a set of lines: the size most text is set in. */
export function bodySizeOf(lines: PdfLine[]): number {
  return mode(lines, (l) => Math.round(l.size * 2) / 2, (l) => l.text.length) ?? 12;
}

interface Margins {
  left: number;
  right: number;
}

function marginsOf(lines: PdfLine[], size: number, fallback?: Margins): Margins {
  const body = lines.filter((l) => Math.abs(l.size - size) <= size * 0.1 && !l.text.includes('\t'));
  if (body.length < 3 && fallback) return fallback;
  const left = mode(body, (l) => Math.round(l.x0), () => 1) ?? 0;
  const ends = body.map((l) => l.x1).sort((a, b) => a - b);
  const right = ends.length ? ends[Math.floor(ends.length * 0.9)]! : (lines[0]?.span ?? 0);
  return { left, right: Math.max(right, left + size) };
}

type Role = 'heading' | 'alone' | 'table' | 'text';

function roleOf(l: PdfLine, m: Margins, size: number): Role {
  if (l.text.includes('\t')) return 'table';
  const width = m.right - m.left;
  const before = l.x0 - m.left;
  const after = m.right - l.x1;
  const centered = before > 2 * size && Math.abs(before - after) < 2.5 * l.size && l.x1 - l.x0 < width * 0.85;
  if (centered && l.size > size * 1.1) return 'heading';
  if (centered) return 'alone';
  // a right-aligned short line: signature, date
  if (before > width * 0.3 && Math.abs(after) < 1.5 * size) return 'alone';
  return 'text';
}

/**
 * Joins a PDF's lines into the markdown the structure parser reads. A paragraph starts where a
 * line is indented, where the line before stopped short of the right margin, where the size
 * changes, or after a wide vertical gap; its lines stay one per source line so every line keeps
 * its page. A centred line set larger than the body is a heading (`# `), a centred or
 * right-aligned line (文号, signature, date) stands alone, a line with column gaps is a table
 * row. A paragraph that runs over a page break stays one paragraph.
 */
export function layoutPages(pages: PdfLine[][], printed: number[]): LaidOut {
  const size = bodySizeOf(pages.flat());
  const docMargins = marginsOf(pages.flat(), size);
  const lines: string[] = [];
  const pageOf: number[] = [];
  const push = (text: string, page: number): void => {
    lines.push(text);
    pageOf.push(page);
  };
  const gap = (page: number): void => {
    if (lines.length > 0 && lines[lines.length - 1] !== '') push('', page);
  };
  let prev: { line: PdfLine; role: Role; m: Margins } | undefined;
  pages.forEach((page, p) => {
    const m = marginsOf(page, size, docMargins);
    const spacing = page.slice(1).map((l, i) => l.y - page[i]!.y).filter((d) => d > 0).sort((a, b) => a - b)[Math.floor((page.length - 1) / 2)] ?? size * 1.5;
    page.forEach((l, i) => {
      const role = roleOf(l, m, size);
      const printedPage = printed[p]!;
      const samePage = i > 0;
      let newPara = true;
      if (prev && role === 'text' && prev.role === 'text') {
        const indented = l.x0 > m.left + 0.9 * l.size;
        const prevShort = prev.line.x1 < prev.m.right - 1.5 * prev.line.size;
        const sizeChange = Math.abs(prev.line.size - l.size) > size * 0.1;
        const farBelow = samePage && l.y - prev.line.y > Math.max(spacing * 1.6, l.size * 2.2);
        newPara = indented || prevShort || sizeChange || farBelow;
      } else if (prev && role === 'table' && prev.role === 'table') {
        newPara = false;
      } else if (prev && role === 'heading' && prev.role === 'heading' && Math.abs(prev.line.size - l.size) < 0.5) {
        newPara = false;
      }
      if (newPara) gap(printedPage);
      push(role === 'heading' ? `# ${l.text}` : l.text, printedPage);
      if (role === 'heading' || role === 'alone') gap(printedPage);
      prev = { line: l, role, m };
    });
  });
  while (lines[lines.length - 1] === '') {
    lines.pop();
    pageOf.pop();
  }
  return { lines, pages: pageOf };
}
