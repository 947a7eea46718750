import type { ParsedFile } from '../corpus/types.ts';

/**
 * Text converted from a PDF or a web page is stored as markdown whose first line records where it
 * came from and, for a PDF, the printed page of every line:
 * `<!-- policybot:pdf pages=2:25,40:26 -->` = from line 2 on page 25, from line 40 on page 26.
 * Line numbers count the header line, so they are the stored file's own line numbers.
 */
const HEADER = /^<!-- policybot:(pdf|html)(?: pages=([\d:,]+))? -->$/;

/** The front-end a stored file came from. */
export type SourceKind = 'pdf' | 'html';

/** Builds the stored markdown: the header line, then the lines. `pages[i]` is the page of `lines[i]`. */
export function withPageMap(kind: SourceKind, lines: string[], pages?: number[]): string {
  let map = '';
  if (pages) {
    const runs: string[] = [];
    pages.forEach((p, i) => {
      if (i === 0 || pages[i - 1] !== p) runs.push(`${i + 2}:${p}`);
    });
    map = ` pages=${runs.join(',')}`;
  }
  return `<!-- policybot:${kind}${map} -->\n${lines.join('\n')}\n`;
}

/** A stored file's header, read back: the text with the header line blanked, and the page of a line. */
export interface PageMap {
  kind: SourceKind;
  text: string;
  pageAt?: (line: number) => number | undefined;
}

/** Reads the header of converted text; undefined for ordinary markdown. */
export function readPageMap(text: string): PageMap | undefined {
  const nl = text.indexOf('\n');
  const first = (nl < 0 ? text : text.slice(0, nl)).replace(/^\ufeff/, '').trim();
  const m = HEADER.exec(first);
  if (!m) return undefined;
  const rest = nl < 0 ? '' : text.slice(nl);
  if (!m[2]) return { kind: m[1] as SourceKind, text: rest };
  const runs = m[2]
    .split(',')
    .map((r) => r.split(':').map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const pageAt = (line: number): number | undefined => {
    let page: number | undefined;
    for (const [from, p] of runs) if (from <= line) page = p;
    return page;
  };
  return { kind: m[1] as SourceKind, text: rest, pageAt };
}

/** Gives every clause the printed page it starts on, and every document its exact page range. */
export function applyPages(parsed: ParsedFile, pageAt: (line: number) => number | undefined): void {
  for (const d of parsed.documents) {
    let end: number | undefined;
    for (const c of d.clauses) {
      const p = pageAt(c.line);
      if (p === undefined) continue;
      c.page = p;
      end = end === undefined ? p : Math.max(end, p);
    }
    const start = pageAt(d.line);
    if (start !== undefined) d.pages = { start, end: Math.max(end ?? start, start) };
  }
}
