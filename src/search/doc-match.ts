import { documentKey, seek, termId, type IndexedDoc, type SearchIndex } from './inverted-index.ts';
import { groupMatchWith } from './matching.ts';
import type { QueryGroup } from './query.ts';
import { isHan } from './tokens.ts';

/**
 * Whole-document texts recently used, per index: at most TEXT_CHARS characters kept (the
 * longest laws run to 100,000), the least recently used dropped first.
 */
const recentTexts = new WeakMap<SearchIndex, { texts: Map<number, string>; chars: number }>();
const TEXT_CHARS = 4_000_000;

/**
 * A document's whole normalised text (./inverted-index.ts `documentKey`): read from the
 * snapshot, or made from its clauses for an index built in memory; the recently used ones are kept.
 */
export function documentText(index: SearchIndex, doc: number): string {
  let recent = recentTexts.get(index);
  if (!recent) recentTexts.set(index, (recent = { texts: new Map(), chars: 0 }));
  let t = recent.texts.get(doc);
  if (t !== undefined) {
    recent.texts.delete(doc);
    recent.texts.set(doc, t);
    return t;
  }
  t = index.docTexts?.[doc] ?? documentKey(index, doc);
  recent.texts.set(doc, t);
  recent.chars += t.length;
  for (const [d, old] of recent.texts) {
    if (recent.chars <= TEXT_CHARS || d === doc) break;
    recent.texts.delete(d);
    recent.chars -= old.length;
  }
  return t;
}

/**
 * Per index, whether a document's text holds a word, for the words that had to be looked for in
 * the text itself ("doc word" → found); cleared when it reaches FOUND_KEPT entries. Topic words
 * recur across questions (保障房, 公积金), and their documents with them.
 */
const foundInText = new WeakMap<SearchIndex, Map<string, boolean>>();
const FOUND_KEPT = 50_000;

/** Two or more characters, every one a CJK character the index makes bigrams of. */
function isHanWord(w: string): boolean {
  if (w.length < 2) return false;
  for (let i = 0; i < w.length; i++) if (!isHan(w.charCodeAt(i))) return false;
  return true;
}

/**
 * How each topic word of one question matches whole documents: `groupMatch` over a document's
 * whole text (`documentText`), the same numbers, found mostly without reading that text. The
 * text is the title, the attachment titles, the headings and the clauses joined by "|", and
 * the index holds every bigram of the headings and clauses: a word of CJK characters with a
 * bigram in none of them is not in the document, and a bigram is where its postings say. Only
 * a word that may be there (every bigram present) is looked for in the text itself.
 */
export function documentMatcher(index: SearchIndex, groups: ReadonlyArray<{ g: QueryGroup; grams: readonly string[] }>): (doc: number) => Float64Array {
  // per bigram, its postings (empty when the corpus lacks it)
  const postings = new Map<string, { from: number; to: number }>();
  const inClauses = (bigram: string, d: IndexedDoc): boolean => {
    let r = postings.get(bigram);
    if (!r) {
      const id = termId(index, bigram);
      postings.set(bigram, (r = id === undefined ? { from: 0, to: 0 } : { from: index.offsets[id]!, to: index.offsets[id + 1]! }));
    }
    const p = seek(index.ids, r.from, r.to, d.from);
    return p < r.to && index.ids[p]! < d.to;
  };
  const inTitles = (bigram: string, d: IndexedDoc): boolean => d.titleKey.includes(bigram) || d.attachmentKeys.some((a) => a.includes(bigram));
  let found = foundInText.get(index);
  if (!found) foundInText.set(index, (found = new Map()));
  const known = found;
  return (doc) => {
    const d = index.docs[doc]!;
    let text: string | undefined;
    const has = (needle: string): boolean => {
      if (isHanWord(needle)) {
        for (let i = 0; i + 1 < needle.length; i++) {
          const bigram = needle.slice(i, i + 2);
          if (!inClauses(bigram, d) && !inTitles(bigram, d)) return false;
        }
        if (needle.length === 2) return true;
      }
      const key = `${doc} ${needle}`;
      let yes = known.get(key);
      if (yes === undefined) {
        text ??= documentText(index, doc);
        yes = text.includes(needle);
        if (known.size >= FOUND_KEPT) known.clear();
        known.set(key, yes);
      }
      return yes;
    };
    return Float64Array.from(groups, ({ g, grams }) => groupMatchWith(g, grams, has));
  };
}
