import { leadInOf } from '../search/features.ts';
import type { SearchIndex } from '../search/inverted-index.ts';

/** Most items of a list quoted after the paragraph that introduces it. */
export const MAX_LIST_ITEMS = 30;

/**
 * Longest paragraph taken for a list's lead-in: "申请应当提交下列材料：" is short; a long paragraph
 * ending in "：" is a document's preamble ("…现提出如下意见："), above whole sections, not a list.
 */
export const MAX_LEAD_IN = 200;

const INTRODUCES_LIST = /[：:]\s*$/;

/** True when a clause's text introduces a list ("申请应当提交下列材料："). */
export function introducesList(text: string): boolean {
  return INTRODUCES_LIST.test(text);
}

/**
 * The list around a clause, for quoting it so that it reads on its own: for a list item, the
 * paragraph it stands under when that paragraph introduces a list ("符合下列条件之一的：" above
 * "（三）年满60周岁"); for a paragraph that introduces a list, its items in document order. Both
 * are verbatim clauses of the same document.
 */
export function listContext(index: SearchIndex, id: number): { leadIn?: string; items: string[] } {
  const ic = index.clauses[id]!;
  const items: string[] = [];
  if (introducesList(ic.clause.text) && ic.clause.text.length <= MAX_LEAD_IN) {
    const end = index.docs[ic.doc]!.to;
    for (let k = id + 1; k < end && items.length < MAX_LIST_ITEMS; k++) {
      const parent = leadInOf(index, k);
      // items stand under it; a deeper item under an item still belongs to the list
      if (parent < id) break;
      if (parent === id) items.push(index.clauses[k]!.clause.text);
    }
    return { items };
  }
  const parent = leadInOf(index, id);
  if (parent < 0) return { items };
  const text = index.clauses[parent]!.clause.text;
  return introducesList(text) && text.length <= MAX_LEAD_IN ? { leadIn: text, items } : { items };
}

/**
 * A clause's quoted passage with its list context, one clause per line: the lead-in above an
 * item, or the items below a lead-in while they fit in `max` characters ("…" when more follow).
 */
export function withListContext(passage: string, context: { leadIn?: string; items: string[] }, max: number): string {
  let out = context.leadIn ? `${context.leadIn}\n${passage}` : passage;
  for (let i = 0; i < context.items.length; i++) {
    const next = `${out}\n${context.items[i]}`;
    if (next.length > max) return `${out}\n…`;
    out = next;
  }
  return out;
}
