import type { ParseWarning, TocEntry } from '../corpus/types.ts';
import { findDocNumbers, formatDocNumber, parseDocNumberLine } from '../text/docnumber.ts';
import { squeezeCjkSpaces } from '../text/normalize.ts';
import type { Block } from './blocks.ts';
import { detectMarker } from './numbering.ts';

/** Where the table of contents was found and what it lists. */
export interface TocResult {
  entries: TocEntry[];
  /** Index of the 目录 block, and of the first block after the TOC. */
  start: number;
  end: number;
}

/**
 * Finds and parses the table of contents: a 目录 heading, then category headings
 * (上级文件 / 本级文件) and entries "title  \n文号 page" (or "title …… page").
 */
export function parseToc(blocks: Block[], warnings: ParseWarning[]): TocResult | undefined {
  const start = blocks.findIndex((b, i) => i < 40 && /^目\s*录$/.test(b.text.trim()));
  if (start < 0) return undefined;
  const entries: TocEntry[] = [];
  let category: string | undefined;
  let i = start + 1;
  for (; i < blocks.length; i++) {
    const b = blocks[i]!;
    const t = b.text.trim();
    if (b.kind === 'heading' && t.length <= 12 && !detectMarker(t) && !parseDocNumberLine(t) && !/\d+$/.test(t)) {
      category = t;
      continue;
    }
    const entry = b.kind === 'para' ? parseEntry(b.lines.join('\n')) : undefined;
    if (!entry) break;
    if (category) entry.category = category;
    entries.push(entry);
  }
  if (entries.length === 0) warnings.push({ line: blocks[start]!.line, message: 'table of contents has no entries' });
  return { entries, start, end: i };
}

function parseEntry(text: string): TocEntry | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  const pm = /[\s.…·．_-]*(\d{1,4})$/.exec(last);
  if (!pm) return undefined;
  const page = Number(pm[1]);
  const before = last.slice(0, pm.index).trim();
  let title = lines.slice(0, -1).join('');
  let docNumber: string | undefined;
  const whole = parseDocNumberLine(before);
  if (whole) {
    docNumber = formatDocNumber(whole);
  } else if (before) {
    // "title 文号" on one line: the 文号 is the last space-separated token holding 〔…〕
    const tokens = before.split(/\s+(?=\S*[〔[［(（]\d{4})/);
    const tail = tokens.length > 1 ? tokens[tokens.length - 1]! : undefined;
    const parsed = tail ? parseDocNumberLine(tail) : undefined;
    if (parsed && tail) {
      docNumber = formatDocNumber(parsed);
      title += tokens.slice(0, -1).join(' ');
    } else {
      const found = findDocNumbers(before);
      if (found.length > 0 && lines.length > 1) docNumber = formatDocNumber(found[found.length - 1]!);
      else title += before;
    }
  }
  title = squeezeCjkSpaces(title.replace(/[.…·．]{2,}$/, ''));
  if (!title || title.length > 120) return undefined;
  const entry: TocEntry = { title, page };
  if (docNumber) entry.docNumber = docNumber;
  return entry;
}
