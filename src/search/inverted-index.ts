import type { Clause, Corpus, CorpusFile, PolicyDocument } from '../corpus/types.ts';
import { detectMarker, type MarkerType } from '../ingest/numbering.ts';
import { parseDocNumberLine, type DocNumber } from '../text/docnumber.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { TextTools } from '../text/toolkit.ts';
import type { TypoVocabulary } from '../text/typo.ts';
import { leadIns } from './lead-in.ts';
import { forEachTerm, termCode, type TermCode } from './tokens.ts';

/** A clause with what ranking needs to know about it. */
export interface IndexedClause {
  clause: Clause;
  doc: number;
  /** Parsed path markers, for clause references (第十四条 → （十四）). */
  markers: Array<{ type: MarkerType; number: number }>;
  /** Text length in characters (BM25 length normalisation). */
  length: number;
  /** Normalised (simplified, NFKC, no spaces) text and headings, for re-ranking. */
  key: string;
  headKey: string;
}

/** A document with its file (for the bulletin part of a citation). */
export interface IndexedDoc {
  doc: PolicyDocument;
  file: CorpusFile;
  titleKey: string;
  /** Normalised titles of its attachments. */
  attachmentKeys: string[];
  /** Its clauses are index.clauses[from .. to). */
  from: number;
  to: number;
  /** Its 文号, parsed. */
  number: DocNumber | undefined;
}

/**
 * The in-memory search index: postings of character bigrams in compressed-sparse-row form,
 * all in typed arrays (postings of term t are ids[offsets[t] .. offsets[t+1]]).
 */
export interface SearchIndex {
  clauses: IndexedClause[];
  docs: IndexedDoc[];
  /** term code → term id */
  terms: Map<TermCode, number>;
  offsets: Uint32Array;
  /** clause numbers, ascending within a term */
  ids: Uint32Array;
  /** term frequency in the text and in the headings, capped at 255 */
  tf: Uint8Array;
  htf: Uint8Array;
  avgLength: number;
  /** Per clause: its document number, and its BM25 length norm k1·(1 − b + b·len/avg). */
  docOf: Uint32Array;
  lengthNorm: Float64Array;
  /** 1 for every UTF-16 code unit that occurs anywhere in the corpus (text, headings, titles). */
  chars: Uint8Array;
  /** Per clause, the clause it stands under (its lead-in paragraph) or −1: see ./lead-in.ts. */
  leadIns: Int32Array;
  /** Clause numbers by numbering marker ("paren-cn:14" → clauses whose path has （十四）). */
  markerIndex: Map<string, number[]>;
  /** Issuer codes of the corpus (国发, 川办发…), to read 文号 in questions. */
  docPrefixes: string[];
  /**
   * The typo repairer's vocabulary, made when the index is first stored (see
   * `indexTypoVocabulary`); an index built in memory makes it on the first repair instead.
   */
  typoVocabulary?: TypoVocabulary;
  /**
   * Per document, its whole normalised text (`documentKey`), stored in the snapshot so that a
   * question never builds it from thousands of clauses; absent in an index built in memory.
   */
  docTexts?: string[];
  tools: TextTools;
}

/** The id of a term given as a string (bigram, character or word), if the corpus has it. */
export function termId(index: SearchIndex, term: string): number | undefined {
  return index.terms.get(termCode(term));
}

/** True when the corpus holds the term. */
export function hasTerm(index: SearchIndex, term: string): boolean {
  return index.terms.has(termCode(term));
}

/** Number of clauses holding a term id. */
export function docFreq(index: SearchIndex, id: number): number {
  return index.offsets[id + 1]! - index.offsets[id]!;
}

/** Inverse document frequency of a term (BM25+ style, never negative); unknown terms get the maximum. */
export function idf(index: SearchIndex, term: string): number {
  const id = termId(index, term);
  const df = id === undefined ? 0 : docFreq(index, id);
  return Math.log(1 + (index.clauses.length - df + 0.5) / (df + 0.5));
}

/** The largest idf any term can have in this index (a term it has never seen). */
export function maxIdf(index: SearchIndex): number {
  return Math.log(1 + (index.clauses.length + 0.5) / 0.5);
}

/** First position in ids[lo, hi) holding a clause number ≥ c (galloping from lo). */
export function seek(ids: Uint32Array, lo: number, hi: number, c: number): number {
  if (lo >= hi || ids[lo]! >= c) return lo;
  let bound = 1;
  while (lo + bound < hi && ids[lo + bound]! < c) bound *= 2;
  let a = lo + (bound >> 1) + 1;
  let b = Math.min(lo + bound, hi);
  while (a < b) {
    const m = (a + b) >>> 1;
    if (ids[m]! < c) a = m + 1;
    else b = m;
  }
  return a;
}

/** BM25 parameters. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** A growable typed array. */
class Grow<T extends Uint32Array | Uint8Array> {
  arr: T;
  length = 0;
  constructor(
    private readonly make: (n: number) => T,
    n: number,
  ) {
    this.arr = make(Math.max(16, n));
  }
  push(v: number): void {
    if (this.length === this.arr.length) {
      const next = this.make(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.length++] = v;
  }
}

/** Builds the index: BM25 postings of character bigrams over clause text and headings. */
export function buildIndex(corpus: Corpus, tools: TextTools): SearchIndex {
  const docs: IndexedDoc[] = [];
  const clauses: IndexedClause[] = [];
  const key = (s: string): string => normalizeKey(tools.toSimplified(s));
  const headCache = new Map<string, { key: string; ids: number[]; counts: number[] }>();
  const terms = new Map<TermCode, number>();
  const df: number[] = [];
  const intern = (t: TermCode): number => {
    let id = terms.get(t);
    if (id === undefined) {
      id = terms.size;
      terms.set(t, id);
      df.push(0);
    }
    return id;
  };
  // pass 1: per clause, sorted unique term ids with text and heading frequencies
  const total = corpus.files.reduce((s, f) => s + f.documents.reduce((a, d) => a + d.clauses.reduce((b, c) => b + c.text.length, 0), 0), 0);
  const tmpTerm = new Grow((n) => new Uint32Array(n), total + 1024);
  const tmpTf = new Grow((n) => new Uint8Array(n), total + 1024);
  const tmpHtf = new Grow((n) => new Uint8Array(n), total + 1024);
  const clauseEnd: number[] = [];
  const scratch: number[] = [];
  for (const file of corpus.files) {
    for (const doc of file.documents) {
      const d = docs.length;
      docs.push({
        doc,
        file,
        titleKey: key(doc.title),
        attachmentKeys: doc.attachments.map(key),
        from: clauses.length,
        to: clauses.length + doc.clauses.length,
        number: parseDocNumberLine(doc.docNumber),
      });
      for (const clause of doc.clauses) {
        const markers = clause.path.flatMap((label) => {
          const m = detectMarker(label);
          return m ? [{ type: m.type, number: m.number }] : [];
        });
        const k = key(clause.text);
        const headRaw = clause.headings.join('|');
        let head = headCache.get(headRaw);
        if (!head) {
          const hk = key(headRaw);
          const hs: number[] = [];
          forEachTerm(hk, (t) => hs.push(intern(t)));
          hs.sort((a, b) => a - b);
          const ids: number[] = [];
          const counts: number[] = [];
          for (const t of hs) {
            if (ids[ids.length - 1] === t) counts[counts.length - 1]!++;
            else {
              ids.push(t);
              counts.push(1);
            }
          }
          head = { key: hk, ids, counts };
          headCache.set(headRaw, head);
        }
        clauses.push({ clause, doc: d, markers, length: clause.text.length, key: k, headKey: head.key });
        scratch.length = 0;
        forEachTerm(k, (t) => scratch.push(intern(t)));
        scratch.sort((a, b) => a - b);
        // merge text terms (with counts) and heading terms
        let i = 0;
        let h = 0;
        while (i < scratch.length || h < head.ids.length) {
          const t = i < scratch.length ? scratch[i]! : Infinity;
          const ht = h < head.ids.length ? head.ids[h]! : Infinity;
          const id = Math.min(t, ht);
          let n = 0;
          while (i < scratch.length && scratch[i] === id) {
            n++;
            i++;
          }
          let hn = 0;
          if (ht === id) hn = head.counts[h++]!;
          tmpTerm.push(id);
          tmpTf.push(Math.min(n, 255));
          tmpHtf.push(Math.min(hn, 255));
          df[id]!++;
        }
        clauseEnd.push(tmpTerm.length);
      }
    }
  }
  // pass 2: compressed sparse rows by term
  const T = terms.size;
  const offsets = new Uint32Array(T + 1);
  for (let t = 0; t < T; t++) offsets[t + 1] = offsets[t]! + df[t]!;
  const N = tmpTerm.length;
  const ids = new Uint32Array(N);
  const tf = new Uint8Array(N);
  const htf = new Uint8Array(N);
  const fill = offsets.slice(0, T);
  let start = 0;
  clauseEnd.forEach((end, c) => {
    for (let p = start; p < end; p++) {
      const t = tmpTerm.arr[p]!;
      const at = fill[t]!++;
      ids[at] = c;
      tf[at] = tmpTf.arr[p]!;
      htf[at] = tmpHtf.arr[p]!;
    }
    start = end;
  });
  const chars = new Uint8Array(65536);
  const mark = (k: string): void => {
    for (let i = 0; i < k.length; i++) chars[k.charCodeAt(i)] = 1;
  };
  for (const ic of clauses) {
    mark(ic.key);
    mark(ic.headKey);
  }
  for (const d of docs) {
    mark(d.titleKey);
    for (const a of d.attachmentKeys) mark(a);
  }
  const markerIndex = new Map<string, number[]>();
  clauses.forEach((ic, c) => {
    for (const m of new Set(ic.markers.map((x) => `${x.type}:${x.number}`))) (markerIndex.get(m) ?? markerIndex.set(m, []).get(m)!).push(c);
  });
  const avgLength = clauses.length ? clauses.reduce((s, c) => s + c.length, 0) / clauses.length : 1;
  const docOf = Uint32Array.from(clauses, (c) => c.doc);
  const lengthNorm = Float64Array.from(clauses, (c) => BM25_K1 * (1 - BM25_B + (BM25_B * c.length) / avgLength));
  const stored: StoredIndex = {
    chars,
    docOf,
    lengthNorm,
    leadIns: leadIns(clauses, docs),
    markerIndex,
    clauses,
    docs,
    terms,
    offsets,
    ids,
    tf,
    htf,
    avgLength,
    docPrefixes: [...new Set(docs.map((d) => /^(.+?)〔/.exec(d.doc.docNumber)?.[1]).filter((x): x is string => !!x))],
  };
  return withRuntime(stored, tools);
}

/** An index without what is made from the text tools: what a snapshot stores. */
export type StoredIndex = Omit<SearchIndex, 'tools'>;

/** Completes stored index data with the text tools it was made with. */
export function withRuntime(stored: StoredIndex, tools: TextTools): SearchIndex {
  return { ...stored, tools };
}

/**
 * A document's whole normalised text: its title, attachment titles, then its clauses in order
 * (each heading where it changes, then the clause), joined by "|" (what document-level features
 * search in).
 */
export function documentKey(index: Pick<SearchIndex, 'docs' | 'clauses'>, doc: number): string {
  const d = index.docs[doc]!;
  const parts = [d.titleKey, ...d.attachmentKeys];
  let lastHead = '';
  for (let c = d.from; c < d.to; c++) {
    const ic = index.clauses[c]!;
    if (ic.headKey !== lastHead) parts.push((lastHead = ic.headKey));
    parts.push(ic.key);
  }
  return parts.join('|');
}
