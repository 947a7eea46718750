import { docNumberMatches, formatDocNumber } from '../text/docnumber.ts';
import { normalizeKey } from '../text/normalize.ts';
import { computeFeatures, isContentless, type FeatureVector } from './features.ts';
import { BM25_K1, idf, termId, type IndexedClause, type SearchIndex } from './index.ts';
import { defaultRankingParams, dot, sigmoid, weightVector, type RankingParams } from './model.ts';
import { analyzeQuery, queryTerms, type AnalyzedQuery } from './query.ts';
import { findDocument, findNamedDocument } from './documents.ts';
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

const EMPTY = new Float64Array(0);

/**
 * Ranks clauses for a question: 文号 and clause references resolve exactly; free text gets the
 * best BM25 candidates over bigrams, scored by the fitted model on their features
 * (./features.ts); the abstention model decides whether the best one answers at all.
 */
export function searchClauses(index: SearchIndex, question: string, opts: SearchOptions = {}): SearchResult {
  const limit = opts.limit ?? 5;
  const params = opts.params ?? defaultRankingParams();
  const q = analyzeQuery(question, index);
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
    for (const u of unresolved) q.groups.push({ text: normalizeKey(u), expansions: [], run: q.runs.push(normalizeKey(u)) - 1 });
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
  return resolveClauseRef(index, q.clauseRefs.map((r) => ({ ...r, anchor: '' })), docFilter);
}

/**
 * "重庆市失业保险条例第十条", "广东失业保险条例 第三条第二款": a document named by its title or
 * short name (no 文号) and a clause of it. Undefined when the words name no document or the
 * clause is not in it (the caller then reads the words as a heading: "工作规则第一条").
 */
function resolveNamedClause(index: SearchIndex, q: AnalyzedQuery): IndexedClause[] | undefined {
  if (q.docRefs.length > 0) return undefined;
  // the name ends at its kind of document: "城市低保条例第四条第三款说的什么" → 城市低保条例
  const name = q.runs.join('').replace(/(法|条例|规定|办法|细则|规则|决定|通知|意见|方案|规划|章程|准则)[^法例定则知见案划程]*$/u, '$1');
  if (name.length < 2) return undefined;
  const named = findDocument(index, name, { fuzzy: false });
  if (!named) return undefined;
  const refs = q.clauseRefs.map((r) => ({ ...r, anchor: '' }));
  const found = resolveClauseRef(index, refs, new Set([index.docs.indexOf(named)]));
  return found.length > 0 ? found : undefined;
}

/** The clauses of the given documents in order, clauses with content before headings and (略) forms. */
function documentOpening(index: SearchIndex, docs: Set<number>): number[] {
  const ids = [...docs].sort((a, b) => a - b).flatMap((d) => Array.from({ length: index.docs[d]!.to - index.docs[d]!.from }, (_, i) => index.docs[d]!.from + i));
  const content = ids.filter((id) => !isContentless(index.clauses[id]!.clause.text));
  return [...content, ...ids.filter((id) => !content.includes(id))];
}

/** Reusable score accumulators per index (queries run one at a time). */
const scratch = new WeakMap<SearchIndex, { score: Float64Array; touched: Uint32Array }>();

/** The best `size` clauses by BM25 over the question's bigrams and words (the model's candidates). */
function bm25Candidates(index: SearchIndex, q: AnalyzedQuery, docFilter: Set<number> | undefined, size: number): Array<{ id: number; bm25: number }> {
  const n = index.clauses.length;
  let s = scratch.get(index);
  if (!s) {
    s = { score: new Float64Array(n), touched: new Uint32Array(n) };
    scratch.set(index, s);
  }
  const { score, touched } = s;
  let nt = 0;
  const { docOf, lengthNorm, ids, tf: tfs, htf: htfs } = index;
  for (const [term, weight] of queryTerms(q)) {
    const id = termId(index, term);
    if (id === undefined) continue;
    // terms in over a quarter of all clauses barely rank and cost the most: features still read them
    if (n > 200 && index.offsets[id + 1]! - index.offsets[id]! > n / 4) continue;
    const w = weight * idf(index, term);
    const from = index.offsets[id]!;
    const to = index.offsets[id + 1]!;
    const k1plus1w = w * (BM25_K1 + 1);
    for (let p = from; p < to; p++) {
      const c = ids[p]!;
      if (docFilter && !docFilter.has(docOf[c]!)) continue;
      const tf = tfs[p]! + HEADING_WEIGHT * htfs[p]!;
      const norm = lengthNorm[c]!;
      const prev = score[c]!;
      if (prev === 0) touched[nt++] = c;
      score[c] = prev + (k1plus1w * tf) / (tf + norm);
    }
  }
  // the best `size` candidates by BM25 (a min-heap over the touched clauses)
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => score[a]! < score[b]! || (score[a] === score[b] && a > b);
  for (let i = 0; i < nt; i++) {
    const c = touched[i]!;
    if (heap.length < size) {
      heap.push(c);
      for (let k = heap.length - 1; k > 0; ) {
        const parent = (k - 1) >> 1;
        if (!less(heap[k]!, heap[parent]!)) break;
        [heap[k], heap[parent]] = [heap[parent]!, heap[k]!];
        k = parent;
      }
    } else if (less(heap[0]!, c)) {
      heap[0] = c;
      for (let k = 0; ; ) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === k) break;
        [heap[k], heap[m]] = [heap[m]!, heap[k]!];
        k = m;
      }
    }
  }
  const pool = heap.map((c) => ({ id: c, bm25: score[c]! })).sort((a, b) => b.bm25 - a.bm25 || a.id - b.id);
  for (let i = 0; i < nt; i++) score[touched[i]!] = 0;
  return pool;
}
