import type { IndexedClause, IndexedDoc } from './inverted-index.ts';

/** How far back a clause's lead-in paragraph is looked for. */
const LEAD_IN_REACH = 60;

/**
 * Per clause, the paragraph it stands under (its lead-in, for the `leadIn` feature), or −1: the
 * nearest earlier clause of its document and section, at most 60 back, whose path is a strict
 * prefix of its own. Made once with the index (and kept in its snapshot), so that a question
 * never reads the clauses above its candidates to find it.
 */
export function leadIns(clauses: readonly IndexedClause[], docs: readonly IndexedDoc[]): Int32Array {
  const out = new Int32Array(clauses.length).fill(-1);
  for (let id = 0; id < clauses.length; id++) {
    const ic = clauses[id]!;
    const path = ic.clause.path;
    if (path.length === 0) continue;
    const from = docs[ic.doc]!.from;
    for (let b = id - 1; b >= from && b >= id - LEAD_IN_REACH; b--) {
      const up = clauses[b]!.clause;
      if (up.section !== ic.clause.section) break;
      if (up.path.length < path.length && up.path.every((l, i) => path[i] === l)) {
        out[id] = b;
        break;
      }
    }
  }
  return out;
}
