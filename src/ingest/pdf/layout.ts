import { detectMarker } from '../numbering.ts';
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
  return (
    mode(
      lines,
      (l) => Math.round(l.size * 2) / 2,
      (l) => l.text.length,
    ) ?? 12
  );
}

interface Margins {
  left: number;
  right: number;
}

function marginsOf(lines: PdfLine[], size: number, fallback?: Margins): Margins {
  const body = lines.filter((l) => Math.abs(l.size - size) <= size * 0.1 && !l.text.includes('\t'));
  if (body.length < 3 && fallback) return fallback;
  // the left margin is the leftmost position several lines share (paragraph starts are indented
  // from it, and a page of short paragraphs has more indented lines than flush ones)
  const xs = body.map((l) => l.x0).sort((a, b) => a - b);
  const need = Math.max(2, Math.ceil(xs.length * 0.1));
  const left = xs.find((x) => xs.filter((o) => Math.abs(o - x) <= 1).length >= need) ?? xs[0] ?? 0;
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
  // title type: centred and larger, or much larger whatever the alignment (a long title's full first line)
  if ((centered && l.size > size * 1.1) || l.size > size * 1.3) return 'heading';
  if (centered) return 'alone';
  // a right-aligned short line: signature, date
  if (before > width * 0.3 && Math.abs(after) < 1.5 * size) return 'alone';
  return 'text';
}

/**
 * Joins a PDF's lines into the markdown the structure parser reads. A paragraph starts where a
 * line is indented, where the line before stopped short of the right margin, where the size
 * changes, or after a wide vertical gap; its lines are joined into one, which keeps the page the
 * paragraph starts on. A centred line set larger than the body is a heading (`# `), a centred or
 * right-aligned line (文号, signature, date) stands alone, a line with column gaps is a table
 * row. A paragraph that runs over a page break stays one paragraph.
 */
export function layoutPages(pages: PdfLine[][], printed: number[]): LaidOut {
  const size = bodySizeOf(pages.flat());
  const docMargins = marginsOf(pages.flat(), size);
  // every line with its page, that page's margins and line spacing, and its role
  const items = pages.flatMap((page, p) => {
    // a two-column page has margins per column; a line across it spans both
    const twoColumns = page.some((l) => l.column !== undefined);
    const whole = marginsOf(page, size, docMargins);
    const columns = twoColumns
      ? [0, 1].map((c) =>
          marginsOf(
            page.filter((l) => l.column === c),
            size,
            whole,
          ),
        )
      : [];
    const marginsOfLine = (l: PdfLine): Margins =>
      !twoColumns ? whole : l.column === undefined ? { left: columns[0]!.left, right: columns[1]!.right } : columns[l.column]!;
    const spacing =
      page
        .slice(1)
        .map((l, i) => l.y - page[i]!.y)
        .filter((d) => d > 0)
        .sort((a, b) => a - b)[Math.floor((page.length - 1) / 2)] ?? size * 1.5;
    return page.map((line, i) => {
      const m = marginsOfLine(line);
      return { line, p, first: i === 0, m, spacing, role: roleOf(line, m, size) };
    });
  });
  // a short line between two table rows is a row too (a group label such as "1. 宽带用户规模"),
  // and so is a short caption right above a table that is not a sentence ("发展目标与发展时间表")
  const short = (it: (typeof items)[number]): boolean => it.line.x1 - it.line.x0 < (it.m.right - it.m.left) * 0.6;
  items.forEach((it, i) => {
    if (it.role === 'text' && items[i - 1]?.role === 'table' && items[i + 1]?.role === 'table' && short(it)) it.role = 'table';
  });
  items.forEach((it, i) => {
    const caption = (it.role === 'text' || it.role === 'alone') && short(it) && !/[。：:；;，,]$/.test(it.line.text) && !detectMarker(it.line.text);
    if (caption && items[i + 1]?.role === 'table' && items[i - 1]?.role !== 'table') it.role = 'table';
  });
  const rows = alignTableRows(
    items.map((it) => it.line),
    items.map((it) => it.role),
  );
  const lines: string[] = [];
  const pageOf: number[] = [];
  const push = (text: string, page: number): void => {
    lines.push(text);
    pageOf.push(page);
  };
  const gap = (page: number): void => {
    if (lines.length > 0 && lines[lines.length - 1] !== '') push('', page);
  };
  let prev: (typeof items)[number] | undefined;
  for (const it of items) {
    const { line: l, role, m } = it;
    const printedPage = printed[it.p]!;
    const samePage = !it.first;
    let newPara = true;
    if (prev && role === 'text' && prev.role === 'text') {
      const indented = l.x0 > m.left + 0.9 * l.size;
      // a line that stops short ends its paragraph: after a sentence end, or when far short (a
      // ragged line that broke before "(州)、" stops a few glyphs short in mid-sentence)
      const room = prev.m.right - prev.line.x1;
      const prevShort = room > 1.5 * prev.line.size && (/[。；：！？!?;:…]$/.test(prev.line.text) || room > 4 * prev.line.size);
      const sizeChange = Math.abs(prev.line.size - l.size) > size * 0.1;
      const farBelow = samePage && l.y - prev.line.y > Math.max(it.spacing * 1.6, l.size * 2.2);
      newPara = indented || prevShort || sizeChange || farBelow;
    } else if (prev && role === 'table' && prev.role === 'table') {
      newPara = false;
    } else if (
      prev &&
      role === 'heading' &&
      prev.role === 'heading' &&
      samePage &&
      Math.abs(prev.line.size - l.size) < 0.5 &&
      l.y - prev.line.y < l.size * 2.5
    ) {
      // a title set over two or three lines is one heading
      lines[lines.length - 2] += l.text;
      prev = it;
      continue;
    }
    if (!newPara && role === 'text') {
      // a wrapped line continues its paragraph's line: one paragraph, one line, its first page
      lines[lines.length - 1] = joinPdfLines(lines[lines.length - 1]!, l.text);
      prev = it;
      continue;
    }
    if (newPara) gap(printedPage);
    push(role === 'heading' ? `# ${l.text}` : (rows.get(l) ?? l.text), printedPage);
    if (role === 'heading' || role === 'alone') gap(printedPage);
    prev = it;
  }
  while (lines[lines.length - 1] === '') {
    lines.pop();
    pageOf.pop();
  }
  markSectionHeadings(lines);
  return { lines, pages: pageOf };
}

/**
 * Joins a wrapped line to the one before: nothing between Chinese characters, nothing after a
 * hyphen or slash the line broke at ("TD-" + "LTE", "3G/" + "LTE"), a space between Latin words.
 */
export function joinPdfLines(a: string, b: string): string {
  if (/[-/–]$/.test(a) && /^[A-Za-z0-9]/.test(b)) return a + b;
  return /[A-Za-z0-9.,;:!?%)]$/.test(a) && /^[A-Za-z0-9(]/.test(b) ? `${a} ${b}` : a + b;
}

/**
 * Puts the cells of each run of table rows into the columns of its fullest row, so an empty cell
 * stays an empty cell ("其中：发达城市 Mbps [—] 100 1000") and a group label fills its row.
 */
function alignTableRows(page: PdfLine[], roles: Role[]): Map<PdfLine, string> {
  const out = new Map<PdfLine, string>();
  for (let i = 0; i < page.length; i++) {
    if (roles[i] !== 'table') continue;
    let j = i;
    while (j + 1 < page.length && roles[j + 1] === 'table') j++;
    const run = page.slice(i, j + 1);
    const columns = run.reduce<number[]>((best, l) => ((l.cells?.length ?? 1) > best.length ? (l.cells ?? []) : best), []);
    if (columns.length > 1) {
      for (const l of run) {
        const row: string[] = columns.map(() => '');
        const texts = l.text.split('\t');
        const starts = l.cells ?? [l.x0];
        texts.forEach((t, k) => {
          const x = starts[k] ?? l.x0;
          let col = 0;
          columns.forEach((c, n) => {
            if (Math.abs(c - x) < Math.abs(columns[col]! - x)) col = n;
          });
          // never two cells in one column: a later cell moves right
          while (row[col] && col < row.length - 1) col++;
          row[col] = row[col] ? `${row[col]} ${t}` : t;
        });
        out.set(l, row.join('\t'));
      }
    }
    i = j;
  }
  return out;
}

/**
 * A paragraph of one short line that starts with a numbering marker and ends without sentence
 * punctuation ("二、围绕重点领域，促进…全面提升") is a section heading: marked `## ` so that the
 * parser does not join it to the next paragraph as a sentence a page break split.
 */
function markSectionHeadings(lines: string[]): void {
  lines.forEach((l, i) => {
    const alone = (i === 0 || lines[i - 1] === '') && (i === lines.length - 1 || lines[i + 1] === '');
    if (alone && l && !l.startsWith('#') && !l.includes('\t') && l.length <= 40 && detectMarker(l) && !/[。；：:;，,、]$/.test(l)) lines[i] = `## ${l}`;
  });
}
