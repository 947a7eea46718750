import { normalizeKey } from '../text/normalize.ts';
import { createTypoRepairer, type TypoRepairer, type TypoVocabulary, typoVocabulary } from '../text/typo.ts';
import { docFreq, type SearchIndex, termId } from './inverted-index.ts';
import { termCode } from './tokens.ts';

const repairers = new WeakMap<SearchIndex, TypoRepairer>();

/**
 * The typo repairer of an index, made on the first question that needs one: it repairs towards
 * the index's vocabulary (see `indexTypoVocabulary`), preferring words the corpus uses often.
 */
export function typoRepairerOf(index: SearchIndex): TypoRepairer {
  let r = repairers.get(index);
  if (r) return r;
  const { tools } = index;
  r = createTypoRepairer(
    () => indexTypoVocabulary(index),
    (w) => {
      // how often the corpus uses a word: the smallest document frequency of its bigrams;
      // question words and synonym terms count as used (people type them, the corpus may not)
      let min = Infinity;
      for (let i = 0; i + 1 < w.length; i++) {
        const id = termId(index, w.slice(i, i + 2));
        min = Math.min(min, id === undefined ? 0 : docFreq(index, id));
      }
      const expected = tools.questionWords.has(w) || tools.synonyms.has(w) ? Math.max(2, index.clauses.length / 100) : 0;
      return Math.max(min === Infinity ? 0 : min, expected);
    },
  );
  repairers.set(index, r);
  return r;
}

const madeVocabularies = new WeakMap<object, TypoVocabulary>();

/**
 * The typo repairer's vocabulary of an index: the stored one when the index came from a
 * snapshot, else made from the corpus once (reading every clause) — which is why a snapshot
 * stores it: a start from a snapshot never reads every clause for it.
 */
export function indexTypoVocabulary(index: Pick<SearchIndex, 'typoVocabulary' | 'clauses' | 'terms' | 'tools'>): TypoVocabulary {
  if (index.typoVocabulary) return index.typoVocabulary;
  let v = madeVocabularies.get(index);
  if (!v) madeVocabularies.set(index, (v = typoVocabulary(typoWords(index))));
  return v;
}

/**
 * Words for typo repair: dictionary words (the segmenter's, the synonym expansions, the corpus's
 * department names) whose every bigram the corpus holds, plus every synonym term and question word.
 */
function typoWords(index: Pick<SearchIndex, 'clauses' | 'terms' | 'tools'>): string[] {
  const out: string[] = [];
  const known = (w: string): boolean => {
    for (let i = 0; i + 1 < w.length; i++) if (!index.terms.has(termCode(w.slice(i, i + 2)))) return false;
    return true;
  };
  const consider = (w: string): void => {
    if (w.length >= 2 && w.length <= 6 && /^[\u4e00-\u9fff]+$/.test(w) && known(w)) out.push(w);
  };
  for (const w of index.tools.segmenter.lexicon()) consider(w);
  // names the corpus itself uses as entities: responsible departments ("市国资委", "绵投集团")
  for (const ic of index.clauses) for (const d of ic.clause.departments ?? []) consider(normalizeKey(d));
  // question words ("几个", "家里"): a misspelt one must not pass for a topic word
  for (const w of index.tools.questionWords) if (w.length >= 2 && /^[\u4e00-\u9fff]+$/.test(w)) out.push(w);
  for (const [term, exps] of index.tools.synonyms) {
    // dictionary terms are words people type: always repair towards them (保障防 → 保障房)
    if (term.length >= 2 && term.length <= 6 && /^[\u4e00-\u9fff]+$/.test(term)) out.push(term);
    for (const e of exps) consider(e);
  }
  return out;
}
