import type { PolicyDocument } from '../corpus/types.ts';

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
  // a section numbered without titled headings (第一条…第四十八条 only) shows its top-level numbers
  const titled = new Set(doc.clauses.filter((c) => c.headings.length > 0).map((c) => c.section));
  for (const c of doc.clauses) {
    const headings = c.headings.length > 0 || titled.has(c.section) || !c.path[0] ? c.headings : [c.path[0]];
    if (c.section !== lastSection && c.section > 0) {
      const key = `${c.section}|附件`;
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
        e = { depth: base + d, heading: h, clauses: 0 };
        index.set(key, e);
        out.push(e);
      }
      if (d === headings.length - 1) e.clauses++;
    });
  }
  return out;
}
