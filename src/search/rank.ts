import { citeClause, type Citation } from '../answer/citation.ts';
import { trimPassage } from '../answer/passage.ts';
import type { Clause, CorpusFile, PolicyDocument } from '../corpus/types.ts';
import { docNumberMatches, formatDocNumber } from '../text/docnumber.ts';
import { normalizeKey } from '../text/normalize.ts';
import { hasAnswerKind } from '../text/question-words.ts';
import { BM25_K1, idf, termId, type IndexedClause, type SearchIndex } from './index.ts';
import { groupMass, groupMatch, isForeign, proximity } from './matching.ts';
import { analyzeQuery, queryTerms, type AnalyzedQuery } from './query.ts';
import { findDocument } from './documents.ts';
import { resolveClauseRef } from './references.ts';
import { bigramsOf } from './tokens.ts';

/** One ranked clause, quoted and cited. */
export interface SearchHit {
  clause: Clause;
  doc: PolicyDocument;
  file: CorpusFile;
  score: number;
  /** Verbatim passage (trimmed around the match with "…" when the clause is long). */
  passage: string;
  citation: Citation;
}

/** Why a search answered or not. */
export type AnswerBasis = 'search' | 'clause-ref' | 'document' | 'no-match' | 'no-topic' | 'clause-not-found' | 'doc-not-found';

/** The answer to one question: ranked hits, or answered=false with the reason. */
export interface SearchResponse {
  query: string;
  answered: boolean;
  basis: AnswerBasis;
  hits: SearchHit[];
  analyzed: AnalyzedQuery;
}

/** Options of one search. */
export interface SearchOptions {
  /** How many hits to return (default 5). */
  limit?: number;
  /** Minimum coverage of the question's topic words for an answer (default 0.5). */
  minCoverage?: number;
}

const HEADING_WEIGHT = 0.6;
/** A topic word holding this share of the question's weight must be in the answer. */
const MAX_MISSING_SHARE = 0.4;
const RERANK = 60;

/**
 * Answers a question: 文号 and clause references resolve exactly; free text is ranked by BM25
 * over bigrams and words, then re-ranked on how much of the question one clause (and one of its
 * sentences) covers, the kind of answer asked for, and the document title. Questions whose
 * topic words the corpus does not cover get answered=false.
 */
export function search(index: SearchIndex, question: string, opts: SearchOptions = {}): SearchResponse {
  const limit = opts.limit ?? 5;
  const q = analyzeQuery(question, index);
  const base = { query: question, analyzed: q };
  // documents named by 文号
  let docFilter: Set<number> | undefined;
  const unresolved: string[] = [];
  for (const ref of q.docRefs) {
    const ds = index.docs.flatMap((d, i) => (d.number && docNumberMatches(ref, d.number) ? [i] : []));
    if (ds.length > 0) docFilter = new Set([...(docFilter ?? []), ...ds]);
    else unresolved.push(formatDocNumber(ref));
  }
  if (q.docRefs.length > 0 && !docFilter) {
    if (q.groups.length === 0 || q.clauseRefs.length > 0) return { ...base, answered: false, basis: 'doc-not-found', hits: [] };
    // a 文号 the corpus does not hold: look for clauses that mention it
    for (const u of unresolved) q.groups.push({ text: normalizeKey(u), expansions: [], run: q.runs.push(normalizeKey(u)) - 1 });
  }
  if (q.clauseRefs.length > 0) {
    const found = resolveNamedClause(index, q) ?? resolveClauseRef(index, q.clauseRefs, docFilter);
    if (found.length === 0) return { ...base, answered: false, basis: 'clause-not-found', hits: [] };
    const hits = found.slice(0, limit).map((ic, i) => hit(index, ic, 1 - i * 0.01, q));
    return { ...base, answered: true, basis: 'clause-ref', hits };
  }
  if (q.groups.length === 0) {
    if (docFilter) {
      const ordered = [...docFilter].sort((a, b) => a - b).flatMap((d) => index.clauses.slice(index.docs[d]!.from, index.docs[d]!.to));
      return { ...base, answered: true, basis: 'document', hits: ordered.slice(0, limit).map((ic, i) => hit(index, ic, 1 - i * 0.01, q)) };
    }
    return { ...base, answered: false, basis: 'no-topic', hits: [] };
  }
  const ranked = rank(index, q, docFilter);
  const top = ranked[0];
  const minCoverage = opts.minCoverage ?? 0.5;
  // the question's main topic is foreign to the corpus ("办理离婚手续" → a 手续办理 clause): no answer
  if (!top || top.coverage < minCoverage || !top.strong || top.missing >= MAX_MISSING_SHARE) {
    return { ...base, answered: false, basis: 'no-match', hits: [] };
  }
  const hits = ranked
    .filter((r) => r.coverage >= minCoverage * 0.6)
    .slice(0, limit)
    .map((r) => hit(index, index.clauses[r.id]!, r.score, q));
  return { ...base, answered: true, basis: docFilter ? 'document' : 'search', hits };
}

/**
 * "重庆市失业保险条例第十条", "广东失业保险条例 第三条第二款": a document named by its title or
 * short name (no 文号) and a clause of it. Undefined when the words name no document or the
 * clause is not in it (the caller then reads the words as a heading: "工作规则第一条").
 */
function resolveNamedClause(index: SearchIndex, q: AnalyzedQuery): IndexedClause[] | undefined {
  if (q.docRefs.length > 0) return undefined;
  const name = q.runs.join('');
  if (name.length < 2) return undefined;
  const named = findDocument(index, name, { fuzzy: false });
  if (!named) return undefined;
  const refs = q.clauseRefs.map((r) => ({ ...r, anchor: '' }));
  const found = resolveClauseRef(index, refs, new Set([index.docs.indexOf(named)]));
  return found.length > 0 ? found : undefined;
}

interface Scored {
  id: number;
  score: number;
  coverage: number;
  /** A topic word of two or more characters (or a synonym of it) is in the clause. */
  strong: boolean;
  /** The question names the clause's own section heading. */
  named: boolean;
  /** Weight of the question's specific words (not in headings or titles) the clause holds. */
  specific: number;
  /**
   * The largest share of the question's weight held by one topic word that the clause lacks and
   * that has a character the corpus never uses (离婚 in a corpus without 婚): a foreign topic.
   */
  missing: number;
}

/**
 * A question that names a section ("节能环保产业的主要目标" → （三）主要目标) asks for the section:
 * when the best clause is in a section so named, its paragraphs among the candidates are
 * given in document order, from the first — unless some hold more of the question's specific
 * words (not in headings or titles), which come first.
 */
function sectionOrder(index: SearchIndex, scored: Scored[]): Scored[] {
  const top = scored[0];
  if (!top || !top.named) return scored;
  const pathOf = (s: Scored): string => {
    const c = index.clauses[s.id]!;
    return `${c.doc}|${c.clause.section}|${c.clause.path.join('')}|${c.clause.headings.join('|')}`;
  };
  const key = pathOf(top);
  const siblings = scored.filter((s) => pathOf(s) === key);
  if (siblings.length < 2) return scored;
  // paragraphs holding more of the question's specific words ("2020年…") first, then in order
  siblings.sort((a, b) => b.specific - a.specific || a.id - b.id);
  const rest = scored.filter((s) => !siblings.includes(s));
  return [...siblings.map((s) => ({ ...s, score: top.score })), ...rest];
}

const NAMED_WEIGHT = 0.15;

/** Reusable score accumulators per index (queries run one at a time). */
const scratch = new WeakMap<SearchIndex, { score: Float64Array; touched: Uint32Array }>();

function rank(index: SearchIndex, q: AnalyzedQuery, docFilter: Set<number> | undefined): Scored[] {
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
    // terms in over a quarter of all clauses barely rank and cost the most: re-ranking still reads them
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
  // the best RERANK candidates by BM25 (a min-heap over the touched clauses)
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => score[a]! < score[b]! || (score[a] === score[b] && a > b);
  for (let i = 0; i < nt; i++) {
    const c = touched[i]!;
    if (heap.length < RERANK) {
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
  const pool = heap.map((c) => [c, score[c]!] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (let i = 0; i < nt; i++) score[touched[i]!] = 0;
  const bestBm25 = pool[0]?.[1] ?? 1;
  const groups = q.groups.map((g) => ({ g, grams: bigramsOf(g.text), foreign: isForeign(index, g) }));
  const masses = q.groups.map((g) => groupMass(index, g));
  const totalMass = masses.reduce((s2, m) => s2 + m, 0) || 1;
  const G = groups.length;
  const mText = new Float64Array(G);
  const mHead = new Float64Array(G);
  const scored: Scored[] = pool.map(([id, bm25]) => {
    const ic = index.clauses[id]!;
    const text = ic.key;
    const head = ic.headKey;
    const d = index.docs[ic.doc]!;
    const attachment = ic.clause.section > 0 ? (d.attachmentKeys[ic.clause.section - 1] ?? '') : '';
    const own = head.slice(head.lastIndexOf('|') + 1);
    // a word found only in the trailing responsibility note ("…（省新闻出版局负责）") counts half
    const noteAt = ic.clause.departments && !ic.clause.kind.startsWith('list') ? Math.max(text.lastIndexOf('('), text.lastIndexOf('（')) : -1;
    const body = noteAt > 0 ? text.slice(0, noteAt) : text;
    const depts = ic.clause.departments?.join('|') ?? '';
    let deptCov = 0;
    let matched = 0;
    let titleCov = 0;
    let headCov = 0;
    let strong = false;
    let missing = 0;
    let specific = 0;
    for (let i = 0; i < G; i++) {
      const { g, grams } = groups[i]!;
      mText[i] = body === text ? groupMatch(g, grams, text) : Math.max(groupMatch(g, grams, body), 0.5 * groupMatch(g, grams, text));
      mHead[i] = head ? groupMatch(g, grams, head) : 0;
      const ctx = Math.max(groupMatch(g, grams, d.titleKey), attachment ? groupMatch(g, grams, attachment) : 0);
      const m = Math.max(mText[i]!, mHead[i]!, 0.6 * ctx);
      matched += masses[i]! * m;
      if (m === 0 && groups[i]!.foreign) missing = Math.max(missing, masses[i]! / totalMass);
      if (mHead[i] === 0 && ctx < 0.85) specific += masses[i]! * mText[i]!;
      if (ctx > 0.85) titleCov += masses[i]!;
      if (own && mHead[i]! > 0) headCov += masses[i]! * (own === head ? mHead[i]! : groupMatch(g, grams, own));
      if (g.text.length >= 2 && Math.max(mText[i]!, mHead[i]!) >= 0.7) strong = true;
      // the question names the clause's responsible department ("银行会…吗" → 人民银行…支行)
      if (depts && g.text.length >= 2 && depts.includes(g.text)) deptCov += masses[i]!;
    }
    const coverage = matched / totalMass;
    titleCov /= totalMass;
    headCov /= totalMass;
    deptCov /= totalMass;
    // the best single sentence: groups found in the text are looked up sentence by sentence
    let bestSentence = 0;
    let density = 0;
    let from = 0;
    while (from < text.length) {
      let to = from;
      while (to < text.length && !isSentenceEnd(text.charCodeAt(to))) to++;
      if (to - from >= 4) {
        let m = 0;
        for (let i = 0; i < G; i++) {
          const inSentence = mText[i]! > 0 ? groupMatch(groups[i]!.g, groups[i]!.grams, text, from, to) : 0;
          m += masses[i]! * Math.max(inSentence, mHead[i]!);
        }
        const cov = m / totalMass;
        if (cov > bestSentence + 1e-9) {
          bestSentence = cov;
          density = proximity(q.groups, text, from, to);
        } else if (Math.abs(cov - bestSentence) < 1e-9 && cov > 0) density = Math.max(density, proximity(q.groups, text, from, to));
      }
      from = to + 1;
    }
    // the question names this clause's own section ("…的指导思想是什么" → （一）指导思想)
    const ownTitle = own.replace(/^[(（][^)）]*[)）]|^[一二三四五六七八九十]+、|^\d+\./, '');
    const named = ownTitle.length >= 2 && q.key.includes(ownTitle) ? 1 : 0;
    const kindBonus = q.kind && hasAnswerKind(ic.clause.text, q.kind) ? 1 : 0;
    const deptBonus = q.kind === 'department' && ic.clause.departments?.length ? 1 : 0;
    const final =
      0.3 * (bm25 / bestBm25) + 0.35 * coverage + 0.3 * bestSentence + 0.06 * kindBonus + 0.04 * deptBonus + 0.08 * titleCov + 0.1 * headCov + 0.1 * density * bestSentence + 0.15 * deptCov + NAMED_WEIGHT * named;
    return { id, score: final, coverage, strong, missing, named: named === 1, specific };
  });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return sectionOrder(index, scored);
}

/** 。；！？ and their half-width forms (keys are NFKC-normalised, so mostly the latter). */
function isSentenceEnd(c: number): boolean {
  return c === 0x3002 || c === 0xff1b || c === 0xff01 || c === 0xff1f || c === 0x3b || c === 0x21 || c === 0x3f;
}

function hit(index: SearchIndex, ic: IndexedClause, score: number, q: AnalyzedQuery): SearchHit {
  const d = index.docs[ic.doc]!;
  const passage = trimPassage(ic.clause.text, (s) => {
    const k = normalizeKey(index.tools.toSimplified(s));
    return q.groups.reduce((n, g) => n + groupMatch(g, bigramsOf(g.text), k) * Math.max(1, g.text.length), 0);
  });
  return { clause: ic.clause, doc: d.doc, file: d.file, score: Math.round(score * 1000) / 1000, passage, citation: citeClause(ic.clause, d.doc, d.file) };
}
