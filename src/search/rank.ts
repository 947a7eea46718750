import { docNumberMatches, formatDocNumber } from '../text/docnumber.ts';
import { normalizeKey } from '../text/normalize.ts';
import { computeFeatures, isContentless, type FeatureVector } from './features.ts';
import { BM25_K1, idf, seek, termId, type IndexedClause, type SearchIndex } from './inverted-index.ts';
import { defaultRankingParams, dot, sigmoid, weightVector, type RankingParams } from './model.ts';
import { analyzeQuery, queryTerms, type AnalyzedQuery } from './query.ts';
import { findDocument, findNamedDocument, findTitleIn, nameBeforeQuestion } from './documents.ts';
import { resolveClauseRef } from './references.ts';

/** One ranked clause: its number in the index, the model's score and the features behind it. */
export interface RankedClause {
  id: number;
  score: number;
  /** Feature vector (FEATURES order); empty for exact lookups (文号, clause references). */
  features: FeatureVector;
}

/** Why a search answered or not. */
export type AnswerBasis = 'search' | 'clause-ref' | 'document' | 'no-match' | 'no-topic' | 'clause-not-found' | 'doc-not-found';

/** The ranked clauses for one question, or answered=false with the reason. */
export interface SearchResult {
  query: string;
  answered: boolean;
  basis: AnswerBasis;
  ranked: RankedClause[];
  analyzed: AnalyzedQuery;
  /** The abstention model's probability that the best candidate answers (1 for exact lookups). */
  confidence: number;
}

/** Options of one search. */
export interface SearchOptions {
  /** How many ranked clauses to return (default 5). */
  limit?: number;
  /** Ranking parameters (default: the shipped data/ranking-params.json). */
  params?: RankingParams;
  /** Return every candidate with its features in BM25 order, and never abstain (for fitting and evaluation). */
  allCandidates?: boolean;
}

const HEADING_WEIGHT = 0.6;

/** How many scores the bar of many is first estimated from (see `barOf` in bm25Candidates). */
const BAR_SAMPLE = 2048;

const EMPTY = new Float64Array(0);

/**
 * Ranks clauses for a question: 文号 and clause references resolve exactly; free text gets the
 * best BM25 candidates over bigrams, scored by the fitted model on their features
 * (./features.ts); the abstention model decides whether the best one answers at all.
 */
export function searchClauses(index: SearchIndex, question: string, opts: SearchOptions = {}): SearchResult {
  const limit = opts.limit ?? 5;
  const params = opts.params ?? defaultRankingParams();
  let q = analyzeQuery(question, index);
  const base = { query: question, analyzed: q };
  // a clause reference keeps its whole unit (an article with its items): the unit is the answer
  const exact = (ids: number[], basis: AnswerBasis): SearchResult => ({
    ...base,
    answered: true,
    basis,
    confidence: 1,
    ranked: (basis === 'clause-ref' ? ids : ids.slice(0, limit)).map((id, i) => ({ id, score: 1 - i * 0.01, features: EMPTY })),
  });
  const none = (basis: AnswerBasis): SearchResult => ({ ...base, answered: false, basis, ranked: [], confidence: 0 });
  // documents named by 文号
  let docFilter: Set<number> | undefined;
  const unresolved: string[] = [];
  for (const ref of q.docRefs) {
    const ds = index.docs.flatMap((d, i) => (d.number && docNumberMatches(ref, d.number) ? [i] : []));
    if (ds.length > 0) docFilter = new Set([...(docFilter ?? []), ...ds]);
    else unresolved.push(formatDocNumber(ref));
  }
  if (q.docRefs.length > 0 && !docFilter) {
    if (q.groups.length === 0 || q.clauseRefs.length > 0) return none('doc-not-found');
    // a 文号 the corpus does not hold: look for clauses that mention it
    // (a widened copy: the analysed question the caller gets back stays what was read)
    const keys = unresolved.map(normalizeKey);
    q = { ...q, runs: [...q.runs, ...keys], groups: [...q.groups, ...keys.map((text, i) => ({ text, expansions: [], run: q.runs.length + i }))] };
  }
  if (q.clauseRefs.length > 0) {
    const found = resolveNamedClause(index, q) ?? resolveAnchored(index, q, docFilter);
    if (found.length === 0) return none('clause-not-found');
    return exact(
      found.map((ic) => index.docs[ic.doc]!.from + index.docs[ic.doc]!.doc.clauses.indexOf(ic.clause)),
      'clause-ref',
    );
  }
  // a question about a whole document named by its title: its opening, as for a 文号
  if (!docFilter && q.groups.length > 0) {
    const named = findNamedDocument(index, q.runs, q.groups);
    if (named) return exact(documentOpening(index, new Set([index.docs.indexOf(named)])), 'document');
  }
  if (q.groups.length === 0) {
    // a question about a whole document: its clauses in order, those with content first
    if (docFilter) return exact(documentOpening(index, docFilter), 'document');
    return none('no-topic');
  }
  const candidates = bm25Candidates(index, q, docFilter, params.candidates);
  const features = computeFeatures(index, q, candidates, queryTerms(q));
  const w = weightVector(params.weights);
  const scored = candidates.map((c, i) => ({ id: c.id, score: dot(w, features[i]!), features: features[i]! }));
  // for fitting, candidates stay in BM25 order so that what is fitted never depends on the current weights
  const ranked = opts.allCandidates ? scored : scored.sort((a, b) => b.score - a.score || a.id - b.id);
  const top = opts.allCandidates ? [...ranked].sort((a, b) => b.score - a.score)[0] : ranked[0];
  if (!top) return none('no-match');
  const confidence = docFilter ? 1 : sigmoid(params.abstain.bias + dot(weightVector(params.abstain.weights), top.features));
  if (opts.allCandidates) return { ...base, answered: true, basis: docFilter ? 'document' : 'search', ranked, confidence };
  if (confidence < params.abstain.threshold) return { ...none('no-match'), confidence };
  return { ...base, answered: true, basis: docFilter ? 'document' : 'search', ranked: ranked.slice(0, limit), confidence };
}

/**
 * A reference with the words around it as a heading anchor ("工作规则第一条"); when a document is
 * named and no heading holds those words, they are the question's topic ("第十一条退费规定",
 * "第十四条讲的什么") and the reference alone decides.
 */
function resolveAnchored(index: SearchIndex, q: AnalyzedQuery, docFilter: Set<number> | undefined): IndexedClause[] {
  const found = resolveClauseRef(index, q.clauseRefs, docFilter);
  if (found.length > 0 || !docFilter || !q.clauseRefs[0]?.anchor) return found;
  return resolveClauseRef(
    index,
    q.clauseRefs.map((r) => ({ ...r, anchor: '' })),
    docFilter,
  );
}

/**
 * "重庆市失业保险条例第十条", "广东失业保险条例 第三条第二款": a document named by its title or
 * short name (no 文号) and a clause of it. A whole title typed decides (empty when the clause is
 * not in that document); else undefined when the words name no document or the clause is not in
 * it (the caller then reads the words as a heading: "工作规则第一条").
 */
function resolveNamedClause(index: SearchIndex, q: AnalyzedQuery): IndexedClause[] | undefined {
  if (q.docRefs.length > 0) return undefined;
  const refs = q.clauseRefs.map((r) => ({ ...r, anchor: '' }));
  const titled = findTitleIn(index, q.key);
  if (titled) return resolveClauseRef(index, refs, new Set([index.docs.indexOf(titled)]));
  // the name as typed (with the 规定, 和 and 的 the question reader drops as question words), then
  // its topic words as typed ("反电信网络诈骗法"), then as typo repair read them ("诈骗犯")
  const read = q.runs.join('');
  const typed = q.corrections.reduce((t, c) => t.replace(c.to, c.from), read);
  for (const words of new Set([q.key.replace(/\s+/gu, ''), typed, read])) {
    // the name ends at its kind of document: "城市低保条例第四条第三款说的什么" → 城市低保条例
    const name = nameBeforeQuestion(words);
    const named = name.length < 2 ? undefined : findDocument(index, name, { fuzzy: false });
    const found = named ? resolveClauseRef(index, refs, new Set([index.docs.indexOf(named)])) : [];
    if (found.length > 0) return found;
  }
  return undefined;
}

/** The clauses of the given documents in order, clauses with content before headings and (略) forms. */
function documentOpening(index: SearchIndex, docs: Set<number>): number[] {
  const ids = [...docs]
    .sort((a, b) => a - b)
    .flatMap((d) => Array.from({ length: index.docs[d]!.to - index.docs[d]!.from }, (_, i) => index.docs[d]!.from + i));
  const content = ids.filter((id) => !isContentless(index.clauses[id]!.clause.text));
  return [...content, ...ids.filter((id) => !content.includes(id))];
}

/**
 * Reusable score accumulators per index (queries run one at a time). Clause c's score is
 * acc[2c] and its length norm (a copy of index.lengthNorm) acc[2c + 1]: adding a posting reads
 * one place in memory, not two far apart.
 */
const scratch = new WeakMap<SearchIndex, { acc: Float64Array; touched: Uint32Array; live: Uint32Array; values: Float64Array; bars: Float64Array }>();

/** The k-th largest (1-based) of values[0, n) (reorders them). */
function kthLargest(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break;
  }
  return values[want]!;
}

/** One question term's postings and weight, w·(k1 + 1): no clause gains more than that from it. */
interface PostedTerm {
  from: number;
  to: number;
  k1w: number;
}

/**
 * The best `size` clauses by BM25 over the question's bigrams and words (the model's
 * candidates), ordered by score then clause number. Terms are read heaviest first; once the
 * `size`-th best score so far exceeds what the unread terms could add to a clause not seen yet,
 * only the clauses that can still reach it are followed (looked up in the remaining postings
 * instead of reading them whole: the common bigrams' long lists). Scores of the final
 * candidates are then summed again in question order, so the result is exactly that of
 * scoring every posting.
 */
function bm25Candidates(index: SearchIndex, q: AnalyzedQuery, docFilter: Set<number> | undefined, size: number): Array<{ id: number; bm25: number }> {
  const n = index.clauses.length;
  let s = scratch.get(index);
  if (!s) {
    const acc = new Float64Array(2 * n);
    for (let c = 0; c < n; c++) acc[2 * c + 1] = index.lengthNorm[c]!;
    s = { acc, touched: new Uint32Array(n), live: new Uint32Array(n), values: new Float64Array(n), bars: new Float64Array(n) };
    scratch.set(index, s);
  }
  const { acc, touched, live, values, bars } = s;
  const { docOf, ids, tf: tfs, htf: htfs } = index;
  const terms: PostedTerm[] = [];
  for (const [term, weight] of queryTerms(q)) {
    const id = termId(index, term);
    if (id === undefined) continue;
    // terms in over a quarter of all clauses barely rank and cost the most: features still read them
    if (n > 200 && index.offsets[id + 1]! - index.offsets[id]! > n / 4) continue;
    terms.push({ from: index.offsets[id]!, to: index.offsets[id + 1]!, k1w: weight * idf(index, term) * (BM25_K1 + 1) });
  }
  const score = (c: number): number => acc[2 * c]!;
  const contribution = (t: PostedTerm, p: number, c: number): number => {
    const tf = tfs[p]! + HEADING_WEIGHT * htfs[p]!;
    return (t.k1w * tf) / (tf + acc[2 * c + 1]!);
  };
  const order = terms.map((_, i) => i).sort((a, b) => terms[b]!.k1w - terms[a]!.k1w || a - b);
  let rest = terms.reduce((sum, t) => sum + t.k1w, 0);
  let postingsLeft = terms.reduce((sum, t) => sum + t.to - t.from, 0);
  const margin = (x: number): number => 1e-9 * (1 + Math.abs(x));
  let nt = 0;
  let k = 0;
  /**
   * The size-th best of values[0, m), found in a copy (values stay beside their clauses): over
   * many, among the scores that reach the size-th best of the first BAR_SAMPLE (at least `size`
   * do, so the bar is among them).
   */
  const barOf = (m: number): number => {
    const sample = Math.max(BAR_SAMPLE, size);
    if (m <= 2 * sample) {
      bars.set(values.subarray(0, m));
      return kthLargest(bars, m, size);
    }
    bars.set(values.subarray(0, sample));
    const low = kthLargest(bars, sample, size);
    let c = 0;
    for (let i = 0; i < m; i++) if (values[i]! >= low) bars[c++] = values[i]!;
    return kthLargest(bars, c, size);
  };
  // the best score so far: while it is no more than what the unread terms could add, the bar
  // (the size-th best) cannot be either, and is not worth finding; nor while the last bar found
  // plus all that the terms read since could add to it is no more
  let top = 0;
  let barBound = 0;
  // phase 1: every posting of the heaviest terms
  for (; k < order.length; k++) {
    const t = terms[order[k]!]!;
    const k1w = t.k1w;
    for (let p = t.from; p < t.to; p++) {
      const c = ids[p]!;
      if (docFilter && !docFilter.has(docOf[c]!)) continue;
      const at = 2 * c;
      const prev = acc[at]!;
      if (prev === 0) touched[nt++] = c;
      const tf = tfs[p]! + HEADING_WEIGHT * htfs[p]!;
      const sum = prev + (k1w * tf) / (tf + acc[at + 1]!);
      acc[at] = sum;
      if (sum > top) top = sum;
    }
    rest -= t.k1w;
    postingsLeft -= t.to - t.from;
    barBound += t.k1w;
    if (k + 1 < order.length && nt >= size && postingsLeft > 2 * nt && top > rest && barBound > rest) {
      // the bar passes what the unread terms may add once `size` clauses score above that;
      // when fewer do, every score has been read and the bar itself is found
      const line = rest + margin(rest);
      let above = 0;
      for (let i = 0; i < nt && above < size; i++) {
        const v = score(touched[i]!);
        values[i] = v;
        if (v > line) above++;
      }
      if (above >= size) {
        k++;
        break;
      }
      const bar = barOf(nt);
      barBound = bar + margin(bar);
    }
  }
  // the clauses that may be among the best, with their scores (values[i] for clause i of the
  // list); each accumulator is read and cleared once (a pass over the touched clauses reads
  // memory at random, as a posting does)
  /**
   * Keeps clauses[0, m) whose score (values[i]) plus `more` reaches `lowest`, with their scores;
   * their count. `clear`: the others' accumulators still hold their scores, and are cleared.
   */
  const keep = (clauses: Uint32Array, m: number, lowest: number, more: number, clear: boolean): number => {
    let kept = 0;
    for (let i = 0; i < m; i++) {
      if (values[i]! + more >= lowest) {
        clauses[kept] = clauses[i]!;
        values[kept++] = values[i]!;
      } else if (clear) acc[2 * clauses[i]!] = 0;
    }
    return kept;
  };
  const inOrder = order.every((o, i) => o === i);
  let m = nt;
  let from: Uint32Array = touched;
  if (k < order.length) {
    // phase 2: a clause not seen yet cannot reach the bar: follow the ones that still can
    for (let i = 0; i < nt; i++) values[i] = score(touched[i]!);
    let bar = barOf(nt);
    for (let i = 0; i < nt; i++) live[i] = touched[i]!;
    m = keep(live, nt, bar - margin(bar), rest, true);
    from = live;
    // ascending clause numbers (a typed array sorts numerically), to seek through the postings;
    // their scores move to values, where the remaining terms add to them
    const sorted = live.subarray(0, m).sort();
    for (let i = 0; i < m; i++) {
      const at = 2 * sorted[i]!;
      values[i] = acc[at]!;
      acc[at] = 0;
    }
    for (; k < order.length; k++) {
      const t = terms[order[k]!]!;
      let p = t.from;
      for (let i = 0; i < m; i++) {
        const c = live[i]!;
        p = seek(ids, p, t.to, c);
        if (p >= t.to) break;
        if (ids[p] === c) values[i] = values[i]! + contribution(t, p, c);
      }
      rest -= t.k1w;
      bar = barOf(m);
      m = keep(live, m, bar - margin(bar), rest, false);
    }
  } else {
    for (let i = 0; i < nt; i++) {
      const at = 2 * touched[i]!;
      values[i] = acc[at]!;
      acc[at] = 0;
    }
  }
  // the exact scores, summed in question order, of every clause that may be among the best
  if (m > size) {
    const bar = barOf(m);
    m = keep(from, m, inOrder ? bar : bar - margin(bar), 0, false);
  }
  const pool = Array.from(from.subarray(0, m));
  const exact = inOrder
    ? Array.from(values.subarray(0, m))
    : pool.map((c) => {
        let sum = 0;
        for (const t of terms) {
          const p = seek(ids, t.from, t.to, c);
          if (p < t.to && ids[p] === c) sum = sum + contribution(t, p, c);
        }
        return sum;
      });
  return pool
    .map((c, i) => ({ id: c, bm25: exact[i]! }))
    .sort((a, b) => b.bm25 - a.bm25 || a.id - b.id)
    .slice(0, size);
}
