import type { MarkerType } from '../ingest/numbering.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { IndexedClause, SearchIndex } from './index.ts';
import type { ClauseRef } from './query.ts';

const PREFERENCE: Record<ClauseRef['style'], MarkerType[]> = {
  article: ['article', 'paren-cn', 'cn', 'num', 'paren-num'],
  paren: ['paren-cn', 'paren-num'],
  part: ['cn', 'chapter'],
  chapter: ['chapter', 'cn'],
  item: ['paren-cn', 'num', 'paren-num'],
  box: ['box'],
};

/**
 * Finds the clauses a reference designates ("第十四条" → the （十四） item of that document,
 * "工作规则第一条" → （一） under the heading 工作规则), in document order, the numbered item first.
 */
export function resolveClauseRef(index: SearchIndex, ref: ClauseRef, docs: Set<number> | undefined): IndexedClause[] {
  const anchor = ref.anchor ? normalizeKey(ref.anchor) : '';
  const pool = docs ? index.clauses.filter((c) => docs.has(c.doc)) : index.clauses;
  for (const type of PREFERENCE[ref.style]) {
    let prefix: string[] | undefined;
    let docOf = -1;
    for (const ic of pool) {
      const at = ic.markers.findIndex((m) => m.type === type && m.number === ref.number);
      if (at < 0) continue;
      if (anchor && !normalizeKey(ic.clause.headings.slice(0, -1).join('|') + ic.clause.headings.join('|')).includes(anchor)) continue;
      prefix = ic.clause.path.slice(0, at + 1);
      docOf = ic.doc;
      break;
    }
    if (!prefix) continue;
    const p = prefix;
    const section = pool.filter((c) => c.doc === docOf && p.every((label, i) => c.clause.path[i] === label));
    if (section.length > 0) return section;
  }
  return [];
}
