import type { MarkerType } from '../ingest/numbering.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { IndexedClause, SearchIndex } from './inverted-index.ts';
import type { ClauseRef } from './query.ts';

const PREFERENCE: Record<ClauseRef['style'], MarkerType[]> = {
  article: ['article', 'paren-cn', 'cn', 'num', 'paren-num'],
  paren: ['paren-cn', 'paren-num'],
  part: ['part', 'cn', 'chapter'],
  chapter: ['chapter', 'part', 'cn'],
  item: ['paren-cn', 'num', 'paren-num'],
  box: ['box'],
  // 款 and 附件 are not path markers: see resolveClauseRef
  paragraph: [],
  attachment: [],
};

/**
 * Finds the clauses a reference designates ("第十四条" → the （十四） item of that document,
 * "工作规则第一条" → （一） under the heading 工作规则, "第四部分第二条" → 四、（二）), in document
 * order, the numbered item first.
 */
export function resolveClauseRef(index: SearchIndex, allRefs: ClauseRef[], docs: Set<number> | undefined): IndexedClause[] {
  // "附件2第三条": the article of that attachment; "第十条第二款": the second 款 of the article
  const attachment = allRefs.find((r) => r.style === 'attachment')?.number;
  // a 款 narrows only when nothing follows it: in "第三十九条第三款第（五）项" the 项 is numbered across the article
  const last = allRefs[allRefs.length - 1];
  const paragraph = last?.style === 'paragraph' ? last.number : undefined;
  const refs = allRefs.filter((r) => r.style !== 'attachment' && r.style !== 'paragraph');
  const [first, ...rest] = refs;
  if (!first) return [];
  const anchor = first.anchor ? normalizeKey(first.anchor) : '';
  // the document from the typed column: a clause of another document is never read (at full
  // scale "第五条" is in thousands of documents, and reading a clause row costs its strings)
  const inDocs = (c: number): boolean => {
    const doc = index.docOf[c]!;
    if (docs && !docs.has(doc)) return false;
    if (attachment === undefined) return true;
    const labels = index.docs[doc]!.doc.attachmentLabels;
    const section = labels?.includes(`附件${attachment}`) ? labels.indexOf(`附件${attachment}`) + 1 : attachment;
    return index.clauses[c]!.clause.section === section;
  };
  for (const type of PREFERENCE[first.style]) {
    let prefix: string[] | undefined;
    let docOf = -1;
    let sectionOf = 0;
    for (const c of index.markerIndex.get(`${type}:${first.number}`) ?? []) {
      if (!inDocs(c)) continue;
      const ic = index.clauses[c]!;
      const at = ic.markers.findIndex((m) => m.type === type && m.number === first.number);
      if (at < 0) continue;
      const end = matchRest(ic, rest, at);
      if (end < 0) continue;
      if (anchor && !ic.headKey.includes(anchor)) continue;
      prefix = ic.clause.path.slice(0, end + 1);
      docOf = ic.doc;
      sectionOf = ic.clause.section;
      break;
    }
    if (!prefix) continue;
    const p = prefix;
    const d = index.docs[docOf]!;
    const section = index.clauses.slice(d.from, d.to).filter((c) => c.clause.section === sectionOf && p.every((label, i) => c.clause.path[i] === label));
    if (paragraph !== undefined) return nthParagraph(section, p.length, paragraph);
    if (section.length > 0) return section;
  }
  return [];
}

/** Position of the last of `refs` matched below position `from` in the clause's path, or -1. */
function matchRest(ic: IndexedClause, refs: ClauseRef[], from: number): number {
  let pos = from;
  for (const ref of refs) {
    let next = -1;
    for (const type of PREFERENCE[ref.style]) {
      next = ic.markers.findIndex((m, i) => i > pos && m.type === type && m.number === ref.number);
      if (next >= 0) break;
    }
    if (next < 0) return -1;
    pos = next;
  }
  return pos;
}

/**
 * The n-th 款 of an article: its n-th paragraph at the article's own level, with the 项 that
 * follow it up to the next paragraph.
 */
function nthParagraph(article: IndexedClause[], depth: number, n: number): IndexedClause[] {
  // "第八条申请与审批": an article whose first line is only its title counts its 款 after it
  const titled = article[0] && isArticleTitle(article[0].clause.text, article[0].clause.path[depth - 1] ?? '') ? 1 : 0;
  const start = article.findIndex((c) => c.clause.path.length === depth && c.clause.paragraph === n + titled);
  if (start < 0) return [];
  const next = article.findIndex((c, k) => k > start && c.clause.path.length === depth);
  return article.slice(start, next < 0 ? article.length : next);
}

/** True when a clause is only an article's number and title ("第八条申请与审批"), no rule of its own. */
export function isArticleTitle(text: string, label: string): boolean {
  const rest = normalizeKey(text).slice(normalizeKey(label).length);
  return normalizeKey(text).startsWith(normalizeKey(label)) && rest.length > 0 && rest.length <= 15 && !/[。；，,;：:]/.test(rest);
}
