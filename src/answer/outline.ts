import type { PolicyDocument } from '../corpus/types.ts';
import { detectMarker } from '../ingest/numbering.ts';

/** One line of a document outline: a heading and how many clauses stand under it. */
export interface OutlineEntry {
  depth: number;
  heading: string;
  clauses: number;
}

/**
 * The heading tree of a document, in order, with clause counts (for /doc and `show`); a part
 * without titled headings lists its top-level numbers (第一条 …) instead.
 */
export function documentOutline(doc: PolicyDocument): OutlineEntry[] {
  const out: OutlineEntry[] = [];
  const index = new Map<string, OutlineEntry>();
  let lastSection = -1;
  for (const c of doc.clauses) {
    // a numbered clause under no titled heading (第一条…第六条 before the first 第二章, or a whole
    // law without chapters) shows its top-level number
    const headings = c.headings.length > 0 || !c.path[0] ? c.headings : [c.path[0]];
    if (c.section !== lastSection && c.section > 0) {
      const key = `${c.section}§`;
      if (!index.has(key)) {
        const e = { depth: 0, heading: `附件：${doc.attachments[c.section - 1] ?? ''}`, clauses: 0 };
        index.set(key, e);
        out.push(e);
      }
    }
    lastSection = c.section;
    const base = c.section > 0 ? 1 : 0;
    headings.forEach((h, d) => {
      const key = `${c.section}|${headings.slice(0, d + 1).join('>')}`;
      let e = index.get(key);
      if (!e) {
        e = { depth: base + d, heading: d === headings.length - 1 ? withGist(h, c.text) : h, clauses: 0 };
        index.set(key, e);
        out.push(e);
      }
      if (d === headings.length - 1) e.clauses++;
    });
  }
  return out;
}

/** Characters of text shown after a number that has no title of its own. */
const GIST = 18;

/**
 * "（二）" alone says nothing in an outline: a numbered item without a title shows the start of
 * its text ("（二）普惠性民办幼儿园（注册登记性质为非营利性…"). Articles (第十条) stay bare.
 */
function withGist(heading: string, text: string): string {
  const m = detectMarker(heading);
  if (!m || m.rest.trim() !== '' || m.type === 'article') return heading;
  const own = detectMarker(text);
  const body = (own && own.label === m.label ? own.rest : text).replace(/\s+/g, '');
  if (!body) return heading;
  return `${heading}${m.type === 'attachment' ? '：' : ''}${body.length > GIST ? `${body.slice(0, GIST)}…` : body}`;
}
