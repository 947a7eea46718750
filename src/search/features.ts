import { documentPlace, questionPlace } from '../text/places.ts';
import { hasAnswerKind } from '../text/question-words.ts';
import { documentMatcher } from './doc-match.ts';
import { BM25_K1, docFreq, hasTerm, idf, termId, type SearchIndex } from './inverted-index.ts';
import { groupMass, groupMatch, proximity } from './matching.ts';
import type { AnalyzedQuery } from './query.ts';
import { bigramsOf } from './tokens.ts';

/**
 * The named features of the ranking model, computed in this one place. Each is a number, most in
 * [0, 1], describing how one candidate clause relates to the question; the model
 * (./model.ts) weighs them with fitted parameters. The order here is the order of
 * `RankingParams.weights`. Each has a test in test/search/features.test.ts saying why it exists.
 */
export const FEATURES = [
  /** BM25 over character bigrams, relative to the best candidate of the question. */
  'bm25',
  /** BM25 over bigrams as a share of what a clause holding every question term would score. */
  'bm25Share',
  /** Share of the question's topic words (weighted by corpus idf) found in the clause, its headings or its title. */
  'coverage',
  /** The same share weighted by background informativeness (topic words count, everyday words barely). */
  'topicCoverage',
  /** Largest background-weighted share of one topic word absent from clause, headings and title. */
  'topicMissing',
  /** Background-weighted share of the question's topic words the whole corpus lacks (比特币, 下雨): a question about something else. */
  'corpusMissing',
  /** BM25 over the question's segmented words, idf from background frequencies of general Chinese. */
  'words',
  /** Share of the question's character bigrams that occur in the clause text or headings. */
  'bigrams',
  /**
   * Share of the question's topic characters (weighted by background informativeness) found in
   * the clause or its headings: residents' words often share a character with the wording of
   * the rule where no whole word matches (女的 / 女方, 零花钱 / 零用钱, 嚼不动 / 咀嚼).
   */
  'characters',
  /** Coverage of the best single sentence. */
  'sentence',
  /** How close the question's words stand in that sentence (times its coverage). */
  'proximity',
  /** Share of topic-word weight matched only through a synonym or colloquial expansion. */
  'synonyms',
  /** Background-weighted share of the question's topic words found anywhere in the clause's document. */
  'documentCoverage',
  /** Share of topic-word weight found in the document or attachment title. */
  'title',
  /** Share of topic-word weight found in the clause's own heading. */
  'heading',
  /** The question names the clause's own section (…的指导思想 → （一）指导思想). */
  'namedSection',
  /** Share of topic-word weight naming a department responsible for the clause. */
  'department',
  /** The question asks for a kind of fact (amount, date, place, materials…) and the clause holds one. */
  'answerKind',
  /** The question asks who, and the clause names responsible departments. */
  'whoDepartment',
  /** The question asks how much money or what share, and the clause states an amount or percentage. */
  'amount',
  /** Share of the question's numbers (ages, years, amounts) that the clause contains. */
  'numbers',
  /** The clause has no content of its own: a heading line, a "(略)" form, an attachment or table title. */
  'contentless',
  /** log length of the clause, scaled: long clauses hold more, very short ones rarely answer. */
  'length',
  /** First paragraph of its section (where a section's rule usually starts). */
  'firstParagraph',
  /**
   * Topic weight the clause's lead-in adds: the paragraph a list item stands under ("申请应当提交下列
   * 材料：" above "（三）户口簿复印件"), for question words the item itself lacks.
   */
  'leadIn',
  /**
   * How much more the corpus uses the question's topic words than general Chinese does (mean over
   * topic words, weighted by background informativeness): policy words (低保, 公积金) score high,
   * words of other domains (驾照, 护照, 契税) low. The same for every candidate: it serves abstention.
   */
  'corpusAffinity',
  /** The lowest affinity of one topic word of the question (its most foreign word). */
  'leastAffinity',
  /** The question names the place the clause's document governs (在重庆… → 重庆市…条例; 按国家规定 → a national one). */
  'placeMatch',
  /** The question names another place than the one the clause's document governs. */
  'placeConflict',
] as const;

/** The name of one feature. */
export type FeatureName = (typeof FEATURES)[number];

/** Feature vector of one candidate, in FEATURES order. */
export type FeatureVector = Float64Array;

/** A candidate clause for a question, with its BM25 score from the candidate search. */
export interface Candidate {
  id: number;
  bm25: number;
}

const CONTENTLESS = /[(（]略[)）]\s*$|^附件\d*[:：]?|^(?:附\s*)?\d+(?:-\d+)?[.．、]?.{0,40}(?:表|书|单|目录)\s*$/;

/** True for clauses that only name something else: (略) forms, attachment and table titles, bare headings. */
export function isContentless(text: string): boolean {
  const t = text.trim();
  if (CONTENTLESS.test(t)) return true;
  return t.length < 16 && !/[。；，,;：:]/.test(t);
}

const AMOUNT_CUE = /多少钱|多少元|几元|几块|给多少|发多少|补多少|报多少|几成|比例|百分之|标准是多少|多少补贴|多少补助|多少费用|一个月多少|每月多少|多少$/;
const AMOUNT_TEXT = /\d+(?:\.\d+)?\s*(?:元|万元|亿元|%|％)|[一二三四五六七八九十百千万]+元|百分之/;

/** True when the question asks for money or a share. */
export function asksAmount(questionKey: string): boolean {
  return AMOUNT_CUE.test(questionKey);
}

/** True when a clause states money or a percentage. */
export function statesAmount(text: string): boolean {
  return AMOUNT_TEXT.test(text);
}

/** Numbers written in a question (92, 2020, 3…). */
export function numbersOf(key: string): string[] {
  return [...key.matchAll(/\d+(?:\.\d+)?/g)].map((m) => m[0]);
}

/** 。；！？ and their half-width forms (keys are NFKC-normalised, so mostly the latter). */
function isSentenceEnd(c: number): boolean {
  return c === 0x3002 || c === 0xff1b || c === 0xff01 || c === 0xff1f || c === 0x3b || c === 0x21 || c === 0x3f;
}

/** Counts non-overlapping occurrences of `w` in `text`. */
function count(text: string, w: string): number {
  let n = 0;
  for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + w.length)) n++;
  return n;
}

/** Log-ratio scale of affinity: a word 1000 times more common in the corpus than in general Chinese scores 1. */
const AFFINITY_SCALE = Math.log(1000);

/**
 * A word's affinity to the corpus in [−1, 1]: log of its share of corpus clauses (estimated by its
 * rarest bigram) over its share of general Chinese, scaled; a word the corpus lacks scores −1.
 */
export function affinity(index: SearchIndex, word: string): number {
  let df = Infinity;
  // a lone character: the index counts it only where it stands alone, so its use is unknown;
  // neutral when the corpus has it at all
  if (word.length === 1) return index.chars[word.charCodeAt(0)] === 1 ? 0 : -1;
  for (let i = 0; i + 1 < word.length; i++) {
    const id = termId(index, word.slice(i, i + 2));
    df = Math.min(df, id === undefined ? 0 : docFreq(index, id));
  }
  if (!(df > 0)) return -1;
  const corpus = Math.log(df / (index.clauses.length + 1));
  return Math.max(-1, Math.min(1, (corpus - index.tools.background.logShare(word)) / AFFINITY_SCALE));
}

/** The paragraph a clause stands under (its lead-in, ./lead-in.ts), or −1. */
export function leadInOf(index: SearchIndex, id: number): number {
  return index.leadIns[id]!;
}

/** The place each document governs, built on first use. */
const docPlaces = new WeakMap<SearchIndex, string[]>();

function placeOf(index: SearchIndex, doc: number): string {
  let p = docPlaces.get(index);
  if (!p) docPlaces.set(index, (p = index.docs.map((d) => documentPlace(index.tools.places, d.titleKey, d.number?.prefix ?? ''))));
  return p[doc]!;
}

/** Computes the feature vectors of the candidates of one analysed question. */
export function computeFeatures(
  index: SearchIndex,
  q: AnalyzedQuery,
  candidates: readonly Candidate[],
  queryTermWeights: ReadonlyMap<string, number>,
): FeatureVector[] {
  const bg = index.tools.background;
  const bestBm25 = candidates.reduce((m, c) => Math.max(m, c.bm25), 0) || 1;
  let maxBm25 = 0;
  for (const [term, w] of queryTermWeights) if (termId(index, term) !== undefined) maxBm25 += w * idf(index, term) * (BM25_K1 + 1) * 0.5;
  maxBm25 ||= 1;
  const groups = q.groups.map((g) => ({ g, grams: bigramsOf(g.text) }));
  const masses = q.groups.map((g) => groupMass(index, g));
  const totalMass = masses.reduce((s, m) => s + m, 0) || 1;
  const topic = q.groups.map((g) => bg.informativeness(g.text) ** 2);
  const totalTopic = topic.reduce((s, m) => s + m, 0) || 1;
  const inCorpus = (w: string): boolean => {
    // a number is no topic the corpus could lack (the `numbers` feature weighs it)
    if (/^\d+(?:\.\d+)?%?$/.test(w)) return true;
    // a lone character is indexed only where it stands alone; the corpus may use it in any word
    if (w.length === 1) return index.chars[w.charCodeAt(0)] === 1;
    for (let i = 0; i + 1 < w.length; i++) if (!hasTerm(index, w.slice(i, i + 2))) return false;
    return true;
  };
  const corpusMissing = q.groups.reduce((s2, g, i) => s2 + (inCorpus(g.text) || g.expansions.some(inCorpus) ? 0 : topic[i]!), 0) / totalTopic;
  const affinities = q.groups.map((g) => Math.max(affinity(index, g.text), ...g.expansions.map((e) => affinity(index, e))));
  const corpusAffinity = affinities.reduce((s2, a, i) => s2 + a * topic[i]!, 0) / totalTopic;
  let leastAffinity = 1;
  affinities.forEach((a, i) => {
    if (bg.informativeness(q.groups[i]!.text) >= 0.3) leastAffinity = Math.min(leastAffinity, a);
  });
  const qGrams = [...new Set(q.runs.flatMap((r) => bigramsOf(r)))];
  const amountAsked = asksAmount(q.key);
  const numbers = numbersOf(q.key);
  const G = groups.length;
  const asked = questionPlace(index.tools.places, q.key);
  const mText = new Float64Array(G);
  const mHead = new Float64Array(G);
  // how each topic word matches a whole document: the same for every candidate of that document
  const inDocuments = new Map<number, Float64Array>();
  const matchDocument = documentMatcher(index, groups);
  const inDocument = (doc: number): Float64Array => {
    let m = inDocuments.get(doc);
    if (!m) {
      m = matchDocument(doc);
      inDocuments.set(doc, m);
    }
    return m;
  };
  const chars = [...new Set(q.runs.join(''))].filter((c) => /\p{Script=Han}/u.test(c));
  const charWeight = chars.map((c) => bg.informativeness(c) ** 2);
  const totalChars = charWeight.reduce((a, b) => a + b, 0) || 1;
  return candidates.map(({ id, bm25 }) => {
    const ic = index.clauses[id]!;
    const text = ic.key;
    const head = ic.headKey;
    const d = index.docs[ic.doc]!;
    const attachment = ic.clause.section > 0 ? (d.attachmentKeys[ic.clause.section - 1] ?? '') : '';
    const own = head.slice(head.lastIndexOf('|') + 1);
    const depts = ic.clause.departments?.join('|') ?? '';
    let matched = 0;
    let topicMatched = 0;
    let topicMissing = 0;
    let synonymOnly = 0;
    let titleCov = 0;
    let headCov = 0;
    let deptCov = 0;
    let words = 0;
    let wordsMax = 0;
    let inDoc = 0;
    const docMatch = inDocument(ic.doc);
    const norm = index.lengthNorm[id]!;
    for (let i = 0; i < G; i++) {
      const { g, grams } = groups[i]!;
      mText[i] = groupMatch(g, grams, text);
      mHead[i] = head ? groupMatch(g, grams, head) : 0;
      const ctx = Math.max(groupMatch(g, grams, d.titleKey), attachment ? groupMatch(g, grams, attachment) : 0);
      const m = Math.max(mText[i]!, mHead[i]!, 0.6 * ctx);
      matched += masses[i]! * m;
      topicMatched += topic[i]! * Math.max(mText[i]!, mHead[i]!, ctx);
      if (Math.max(mText[i]!, mHead[i]!, ctx) === 0) topicMissing = Math.max(topicMissing, topic[i]! / totalTopic);
      if (!text.includes(g.text) && !head.includes(g.text) && Math.max(mText[i]!, mHead[i]!) >= 0.9) synonymOnly += masses[i]!;
      if (ctx > 0.85) titleCov += masses[i]!;
      inDoc += topic[i]! * docMatch[i]!;
      if (own && mHead[i]! > 0) headCov += masses[i]! * (own === head ? mHead[i]! : groupMatch(g, grams, own));
      if (depts && g.text.length >= 2 && depts.includes(g.text)) deptCov += masses[i]!;
      // word-level BM25: the word itself, else its best expansion, idf from general Chinese
      let tf = count(text, g.text);
      if (tf === 0) for (const e of g.expansions) tf = Math.max(tf, 0.9 * count(text, e));
      const w = bg.informativeness(g.text);
      words += (w * tf * (BM25_K1 + 1)) / (tf + norm);
      wordsMax += w * (BM25_K1 + 1) * 0.5;
    }
    let gramsFound = 0;
    for (const b of qGrams) if (text.includes(b) || head.includes(b)) gramsFound++;
    // the best single sentence
    let bestSentence = 0;
    let density = 0;
    for (let from = 0; from < text.length; ) {
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
    const ownTitle = own.replace(/^[(（][^)）]*[)）]|^[一二三四五六七八九十]+、|^\d+\./, '');
    const named = ownTitle.length >= 2 && q.key.includes(ownTitle) ? 1 : 0;
    const f = new Float64Array(FEATURES.length);
    let k = 0;
    f[k++] = bm25 / bestBm25;
    f[k++] = Math.min(1, bm25 / maxBm25);
    f[k++] = matched / totalMass;
    f[k++] = topicMatched / totalTopic;
    f[k++] = topicMissing;
    f[k++] = corpusMissing;
    f[k++] = wordsMax > 0 ? Math.min(1, words / wordsMax) : 0;
    f[k++] = qGrams.length ? gramsFound / qGrams.length : 0;
    let charsFound = 0;
    chars.forEach((c, i) => {
      if (text.includes(c) || head.includes(c)) charsFound += charWeight[i]!;
    });
    f[k++] = charsFound / totalChars;
    f[k++] = bestSentence;
    f[k++] = density * bestSentence;
    f[k++] = synonymOnly / totalMass;
    f[k++] = inDoc / totalTopic;
    f[k++] = titleCov / totalMass;
    f[k++] = headCov / totalMass;
    f[k++] = named;
    f[k++] = deptCov / totalMass;
    f[k++] = q.kind && hasAnswerKind(ic.clause.text, q.kind) ? 1 : 0;
    f[k++] = q.kind === 'department' && ic.clause.departments?.length ? 1 : 0;
    f[k++] = amountAsked && statesAmount(ic.clause.text) ? 1 : 0;
    f[k++] = numbers.length ? numbers.filter((n) => text.includes(n)).length / numbers.length : 0;
    f[k++] = isContentless(ic.clause.text) ? 1 : 0;
    f[k++] = Math.min(1, Math.log(1 + ic.length) / Math.log(1000));
    f[k++] = ic.clause.paragraph === 1 ? 1 : 0;
    let leadIn = 0;
    const parent = leadInOf(index, id);
    if (parent >= 0) {
      const up = index.clauses[parent]!.key;
      for (let i = 0; i < G; i++) leadIn += topic[i]! * Math.max(0, groupMatch(groups[i]!.g, groups[i]!.grams, up) - mText[i]!);
    }
    f[k++] = leadIn / totalTopic;
    f[k++] = corpusAffinity;
    f[k++] = leastAffinity;
    const place = placeOf(index, ic.doc);
    f[k++] = asked !== undefined && place === asked ? 1 : 0;
    f[k++] = asked !== undefined && place !== '?' && place !== asked ? 1 : 0;
    return f;
  });
}
