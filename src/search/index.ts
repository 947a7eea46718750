import type { Clause, Corpus, CorpusFile, PolicyDocument } from '../corpus/types.ts';
import { detectMarker, type MarkerType } from '../ingest/numbering.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { TextTools } from '../text/toolkit.ts';
import { createTypoRepairer, type TypoRepairer } from '../text/typo.ts';
import { isLongWord, textTerms } from './tokens.ts';

/** A clause with what ranking needs to know about it. */
export interface IndexedClause {
  clause: Clause;
  doc: number;
  /** Parsed path markers, for clause references (第十四条 → （十四）). */
  markers: Array<{ type: MarkerType; number: number }>;
  /** Text length in characters (BM25 length normalisation). */
  length: number;
}

/** A document with its file (for the bulletin part of a citation). */
export interface IndexedDoc {
  doc: PolicyDocument;
  file: CorpusFile;
  titleKey: string;
}

/** Postings of one term: clause numbers, term frequency in the text and in the headings. */
interface Postings {
  ids: Uint32Array;
  tf: Uint8Array;
  htf: Uint8Array;
}

/** The in-memory search index over all clauses of a corpus. */
export interface SearchIndex {
  clauses: IndexedClause[];
  docs: IndexedDoc[];
  /** term → postings */
  postings: Map<string, Postings>;
  avgLength: number;
  /** Issuer codes of the corpus (国发, 川办发…), to read 文号 in questions. */
  docPrefixes: string[];
  typo: TypoRepairer;
  tools: TextTools;
}

const CAP = 255;

/** Builds the index. Segmentation is memoised per text, so repeated texts cost once. */
export function buildIndex(corpus: Corpus, tools: TextTools): SearchIndex {
  const docs: IndexedDoc[] = [];
  const clauses: IndexedClause[] = [];
  for (const file of corpus.files) {
    for (const doc of file.documents) {
      const d = docs.length;
      docs.push({ doc, file, titleKey: normalizeKey(tools.toSimplified(doc.title)) });
      for (const clause of doc.clauses) {
        const markers = clause.path.flatMap((label) => {
          const m = detectMarker(label);
          return m ? [{ type: m.type, number: m.number }] : [];
        });
        clauses.push({ clause, doc: d, markers, length: clause.text.length });
      }
    }
  }
  // term counts per clause, then postings in one allocation per term
  const counts = new Map<string, number>();
  const perClause: Array<Map<string, [number, number]>> = [];
  const headingCache = new Map<string, Map<string, number>>();
  const wordCache = new Map<string, string[]>();
  const vocabulary = new Set<string>();
  const longWords = (key: string): string[] => {
    let ws = wordCache.get(key);
    if (!ws) {
      ws = tools.segmenter.cutForSearch(key).filter((w) => w.length >= 2 && /^[\u3400-\u9fff]+$/.test(w));
      wordCache.set(key, ws);
    }
    return ws;
  };
  for (const ic of clauses) {
    const tf = new Map<string, [number, number]>();
    const key = normalizeKey(tools.toSimplified(ic.clause.text));
    for (const t of textTerms(key)) bump(tf, t, 0);
    for (const w of longWords(key)) {
      if (isLongWord(w)) bump(tf, w, 0);
      vocabulary.add(w);
    }
    const hkey = normalizeKey(tools.toSimplified(ic.clause.headings.join('|')));
    let hterms = headingCache.get(hkey);
    if (!hterms) {
      hterms = new Map();
      for (const t of [...textTerms(hkey), ...longWords(hkey).filter(isLongWord)]) hterms.set(t, (hterms.get(t) ?? 0) + 1);
      headingCache.set(hkey, hterms);
    }
    for (const [t, n] of hterms) bump(tf, t, 1, n);
    for (const t of tf.keys()) counts.set(t, (counts.get(t) ?? 0) + 1);
    perClause.push(tf);
  }
  const postings = new Map<string, Postings>();
  const fill = new Map<string, number>();
  for (const [t, n] of counts) postings.set(t, { ids: new Uint32Array(n), tf: new Uint8Array(n), htf: new Uint8Array(n) });
  perClause.forEach((tf, id) => {
    for (const [t, [a, b]] of tf) {
      const p = postings.get(t)!;
      const at = fill.get(t) ?? 0;
      p.ids[at] = id;
      p.tf[at] = Math.min(a, CAP);
      p.htf[at] = Math.min(b, CAP);
      fill.set(t, at + 1);
    }
  });
  for (const d of docs) for (const w of longWords(d.titleKey)) vocabulary.add(w);
  for (const [term, exps] of tools.synonyms) {
    vocabulary.add(term);
    for (const e of exps) vocabulary.add(e);
  }
  const total = clauses.reduce((s, c) => s + c.length, 0);
  return {
    clauses,
    docs,
    postings,
    avgLength: clauses.length ? total / clauses.length : 1,
    docPrefixes: [...new Set(docs.map((d) => /^(.+?)〔/.exec(d.doc.docNumber)?.[1]).filter((x): x is string => !!x))],
    typo: createTypoRepairer(vocabulary),
    tools,
  };
}

function bump(m: Map<string, [number, number]>, t: string, field: 0 | 1, n = 1): void {
  let v = m.get(t);
  if (!v) {
    v = [0, 0];
    m.set(t, v);
  }
  v[field] += n;
}

/** Inverse document frequency of a term (BM25+ style, never negative). */
export function idf(index: SearchIndex, term: string): number {
  const df = index.postings.get(term)?.ids.length ?? 0;
  const n = index.clauses.length;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** The largest idf any term can have in this index (a term it has never seen). */
export function maxIdf(index: SearchIndex): number {
  return Math.log(1 + (index.clauses.length + 0.5) / 0.5);
}

export type { Postings };
