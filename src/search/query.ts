import { findDocNumbers, type DocNumber } from '../text/docnumber.ts';
import { normalizeKey, stripControlChars } from '../text/normalize.ts';
import { NUMERAL_CHAR, parseChineseNumber } from '../text/numerals.ts';
import { detectAnswerKind, type AnswerKind } from '../text/question-words.ts';
import { findSynonymTerms } from '../text/synonyms.ts';
import { hasTerm, type SearchIndex } from './inverted-index.ts';
import { bigramsOf } from './tokens.ts';
import { typoRepairerOf } from './typo-repair.ts';

/** A clause reference typed by a person: 第十四条, （十四）, 第三部分, 工作规则第一条. */
export interface ClauseRef {
  number: number;
  style: 'article' | 'paren' | 'part' | 'chapter' | 'item' | 'box' | 'paragraph' | 'attachment';
  /** Heading words that narrow it: "工作规则" in "工作规则第一条". */
  anchor: string;
}

/** One topic word of the question, with the words that may stand for it in the corpus. */
export interface QueryGroup {
  text: string;
  expansions: string[];
  /** Index of the run of adjacent words it belongs to. */
  run: number;
}

/** What the reader made of a question. */
export interface AnalyzedQuery {
  raw: string;
  /** Simplified, normalised form. */
  key: string;
  docRefs: DocNumber[];
  /** Clause references in reading order: "第四部分第二条" → part 4, then article 2. */
  clauseRefs: ClauseRef[];
  groups: QueryGroup[];
  /** Runs of adjacent topic words, joined: bigrams are taken inside runs only. */
  runs: string[];
  kind?: AnswerKind;
  corrections: Array<{ from: string; to: string }>;
}

const CN_NUM = `${NUMERAL_CHAR}+|\\d+`;
const REF_PATTERNS: Array<{ re: RegExp; style: ClauseRef['style'] }> = [
  { re: new RegExp(`第(${CN_NUM})条`), style: 'article' },
  { re: new RegExp(`第(${CN_NUM})(?:部分|大项|大点)`), style: 'part' },
  { re: new RegExp(`第(${CN_NUM})章`), style: 'chapter' },
  { re: new RegExp(`第(${CN_NUM})款`), style: 'paragraph' },
  { re: new RegExp(`第[(（](${CN_NUM})[)）]项`), style: 'paren' },
  { re: new RegExp(`第(${CN_NUM})(?:项|点|小项)`), style: 'item' },
  { re: new RegExp(`附件(${CN_NUM})`), style: 'attachment' },
  { re: /专栏(\d+)/, style: 'box' },
  { re: /[(（]([一二三四五六七八九十百]+|\d+)[)）]/, style: 'paren' },
  { re: /(?<![一二三四五六七八九十百\d])([一二三四五六七八九十]+)、/, style: 'part' },
];

/** Reads a question: 文号, clause reference, topic words, synonyms, typos, answer kind. */
export function analyzeQuery(raw: string, index: SearchIndex): AnalyzedQuery {
  const { tools } = index;
  const cleaned = stripControlChars(raw).slice(0, 500);
  let key = normalizeKey(tools.toSimplified(cleaned));
  const docRefs: DocNumber[] = [];
  for (const m of findDocNumbers(key, index.docPrefixes).reverse()) {
    docRefs.unshift(m);
    key = `${key.slice(0, m.index)} ${key.slice(m.index + m.length).replace(/^(?:文件|文)/, '')}`;
  }
  const found: Array<{ at: number; ref: ClauseRef }> = [];
  for (const p of REF_PATTERNS) {
    const re = new RegExp(p.re.source, 'g');
    for (const m of key.matchAll(re)) {
      const number = parseChineseNumber(m[1]!);
      if (number === undefined || number <= 0) continue;
      found.push({ at: m.index, ref: { number, style: p.style, anchor: '' } });
      key = `${key.slice(0, m.index)}${' '.repeat(m[0].length)}${key.slice(m.index + m[0].length)}`;
    }
  }
  const clauseRefs = found.sort((a, b) => a.at - b.at).map((f) => f.ref);
  key = key.replace(/ {2,}/g, ' ');
  const kind = detectAnswerKind(key);
  // topic words: segment, drop question words and punctuation
  const words = tools.segmenter.cut(key);
  const runs: string[] = [];
  let cur = '';
  const topic: Array<{ w: string; run: number }> = [];
  for (const w of words) {
    const k = w.trim();
    const isPunct = !/[\p{L}\p{N}]/u.test(k);
    if (!k || isPunct || tools.questionWords.has(k)) {
      if (cur) runs.push(cur);
      cur = '';
      continue;
    }
    topic.push({ w: k, run: runs.length });
    cur += k;
  }
  if (cur) runs.push(cur);
  // typo repair on runs, against corpus bigrams
  const corrections: Array<{ from: string; to: string }> = [];
  const known = (b: string): boolean => hasTerm(index, b);
  const knownWord = (w: string): boolean => tools.synonyms.has(w);
  for (let r = 0; r < runs.length; r++) {
    const functionWord = (ch: string): boolean => tools.questionWords.has(ch);
    for (const fix of typoRepairerOf(index).repair(runs[r]!, known, knownWord, tools.segmenter.cutDictionary(runs[r]!), functionWord)) {
      corrections.push(fix);
      runs[r] = runs[r]!.replace(fix.from, fix.to);
    }
  }
  // groups: synonym terms first (they may span several segmenter words), then the other words
  const groups: QueryGroup[] = [];
  runs.forEach((run, r) => {
    // a one-character term must be a word of its own, once a question word fused to it is taken off (能领 → 领)
    const words = tools.segmenter.cut(run).map((w) =>
      stripQuestionAffixes(
        w,
        (x) => tools.questionWords.has(x),
        () => false,
      ),
    );
    const syn = findSynonymTerms(run, tools.synonyms, words);
    let rest = run;
    for (const s of syn) {
      groups.push({ text: s.term, expansions: [...s.expansions], run: r });
      rest = rest.replace(s.term, ' ');
    }
    for (const piece of rest.split(' ').filter(Boolean)) {
      for (const w of tools.segmenter.cut(piece)) {
        const t = stripQuestionAffixes(
          w,
          (x) => tools.questionWords.has(x),
          (x) => knownText(index, x),
        );
        if (t && !tools.questionWords.has(t)) groups.push({ text: t, expansions: [], run: r });
      }
    }
  });
  // dictionary terms that hold a question word (孩子没了, 罚多少) are cut apart with the question
  // words above: look them up in the whole question too — those with a topic part; a term of
  // question words only (多少钱, 找谁) says what kind of answer is asked, which the answer kind reads
  const inRuns = (t: string): boolean => runs.some((r) => r.includes(t));
  const hasTopic = (t: string): boolean => tools.segmenter.cut(t).some((w) => !tools.questionWords.has(w));
  for (const s of findSynonymTerms(key, tools.synonyms, tools.segmenter.cut(key))) {
    if (inRuns(s.term) || !hasTopic(s.term) || groups.some((g) => g.text === s.term)) continue;
    groups.push({ text: s.term, expansions: [...s.expansions], run: Math.max(0, runs.length - 1) });
  }
  if (clauseRefs.length > 0 && groups.length > 0) {
    clauseRefs[0]!.anchor = groups.map((g) => g.text).join('');
  }
  const q: AnalyzedQuery = { raw, key, docRefs, clauseRefs, groups, runs, corrections };
  if (kind) q.kind = kind;
  return q;
}

/** Weighted BM25 terms of a query: bigrams of runs, long words, expansion bigrams (lower weight). */
export function queryTerms(q: AnalyzedQuery): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (t: string, w: number): void => {
    if (w > (terms.get(t) ?? 0)) terms.set(t, w);
  };
  for (const run of q.runs) for (const b of bigramsOf(run)) add(b, 1);
  for (const g of q.groups) {
    if (g.text.length >= 3) add(g.text, 0.6);
    for (const b of bigramsOf(g.text)) add(b, 1);
    for (const e of g.expansions) {
      for (const b of bigramsOf(e)) add(b, 0.7);
      if (e.length >= 3) add(e, 0.4);
    }
  }
  return terms;
}

/**
 * "要查" → "查", "能报" → "报": a word the corpus does not know loses a leading or trailing
 * question word of one character (要, 能, 会, 吗…).
 */
export function stripQuestionAffixes(word: string, isQuestionWord: (w: string) => boolean, isKnown: (w: string) => boolean): string {
  let w = word;
  while (w.length > 1 && !isKnown(w)) {
    if (isQuestionWord(w[0]!)) w = w.slice(1);
    else if (isQuestionWord(w[w.length - 1]!)) w = w.slice(0, -1);
    else break;
  }
  return w;
}

/** True when the corpus holds every bigram of `w` (or the character itself, for one character). */
export function knownText(index: SearchIndex, w: string): boolean {
  if (w.length === 1) return hasTerm(index, w);
  for (let i = 0; i + 1 < w.length; i++) if (!hasTerm(index, w.slice(i, i + 2))) return false;
  return true;
}
