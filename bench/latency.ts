/**
 * Query latency and answer quality of one engine in one fresh process over one data directory,
 * printing one JSON line:
 *   node --import tsx bench/latency.ts DATA_DIR QUESTIONS.jsonl [policybot|minisearch|fuse.js] [BUDGET_MS]
 * Every engine gets the same clauses (the data directory's corpus) and the same questions in the
 * same order: once (first pass: lazy structures such as our typo repairer or snapshot rows are
 * built by the questions that need them), then three more times (warm). Each question's wall
 * time and the process's CPU time meanwhile are both recorded: on a machine other jobs share,
 * wall time includes waiting for a core, CPU time does not. Top-1 is scored the
 * way `policybot eval` scores it, so a fast wrong answer shows as one. An engine that runs past
 * BUDGET_MS (default 60 s) of query time stops there and reports how many questions it got to.
 *
 * Baselines, set up as a careful user would:
 * - minisearch 7: each clause indexed with its headings and title; our tokenizer (NFKC,
 *   Traditional→Simplified, CJK bigrams and Latin words, no synonyms); questions segmented with
 *   our jieba segmenter, our question words (多少, 怎么, 哪些…) dropped as stop words, then the
 *   same bigrams; OR-combined with BM25 and a minimum-should-match of half the question's terms
 *   (a plain AND of bigrams matches almost nothing, a plain OR matches almost everything).
 * - fuse.js 7: keys text, headings, title; ignoreLocation, threshold 0.6 (long clauses), top 5.
 */
import { readFileSync } from 'node:fs';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { hitRank, parseEvalFile } from '../src/answer/eval.ts';
import { openCorpus } from '../src/corpus/open.ts';
import type { Corpus } from '../src/corpus/types.ts';
import { answerQuestion as search, type SearchResponse } from '../src/answer/answer.ts';
import { bigramsOf } from '../src/search/tokens.ts';
import { normalizeKey } from '../src/text/normalize.ts';

const [dataDir, questionFile, engine = 'policybot', budgetArg = '60000'] = process.argv.slice(2);
if (!dataDir || !questionFile) throw new Error('usage: latency.ts DATA_DIR QUESTIONS.jsonl [ENGINE] [BUDGET_MS]');
const budgetMs = Number(budgetArg);
const questions = parseEvalFile(readFileSync(questionFile, 'utf8'));
const t0 = performance.now();
const { corpus, index, tools } = await openCorpus(dataDir);
const openMs = performance.now() - t0;

/** One clause as the baselines index it. */
interface Row {
  id: number;
  docNumber: string;
  text: string;
  heading: string;
  headings: string[];
  title: string;
}
function rows(c: Corpus): Row[] {
  const out: Row[] = [];
  for (const f of c.files)
    for (const d of f.documents)
      for (const cl of d.clauses)
        out.push({ id: out.length, docNumber: d.docNumber, text: cl.text, heading: cl.headings.join(' > '), headings: cl.headings, title: d.title });
  return out;
}
/** A baseline's top hits in the shape `hitRank` scores (doc, clause, passage). */
const asResponse = (q: string, hits: Row[]): SearchResponse =>
  ({
    query: q,
    answered: hits.length > 0,
    hits: hits.map((r) => ({
      doc: { docNumber: r.docNumber, title: r.title },
      clause: { text: r.text, headings: r.headings },
      passage: r.text,
      citation: { heading: r.heading },
    })),
  }) as unknown as SearchResponse;

const key = (s: string): string => normalizeKey(tools.toSimplified(s));
let ask: (q: string) => SearchResponse;
const b0 = performance.now();
if (engine === 'policybot') {
  ask = (q) => search(index, q, { limit: 5 });
} else if (engine === 'minisearch') {
  const all = rows(corpus);
  const ms = new MiniSearch<Row>({ fields: ['text', 'heading', 'title'], idField: 'id', tokenize: (s) => bigramsOf(key(s)), processTerm: (t) => t });
  ms.addAll(all);
  ask = (q) => {
    const words = tools.segmenter.cut(key(q)).filter((w) => !tools.questionWords.has(w));
    const terms = [...new Set(words.flatMap((w) => (w.length === 1 ? [] : bigramsOf(w))))];
    if (terms.length === 0) return asResponse(q, []);
    const need = Math.ceil(terms.length / 2);
    const found = ms.search(terms.join(' '), { tokenize: (s) => s.split(' '), combineWith: 'OR' }).filter((r) => r.queryTerms.length >= need);
    return asResponse(
      q,
      found.slice(0, 5).map((r) => all[r.id as number]!),
    );
  };
} else if (engine === 'fuse.js') {
  const all = rows(corpus);
  const fuse = new Fuse(all, { keys: ['text', 'heading', 'title'], ignoreLocation: true, threshold: 0.6 });
  ask = (q) =>
    asResponse(
      q,
      fuse.search(q, { limit: 5 }).map((r) => r.item),
    );
} else throw new Error(`unknown engine ${engine}`);
const buildMs = performance.now() - b0;

const pct = (xs: number[], p: number): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!;
};
let spent = 0;
// wall time, and the CPU time this process used meanwhile (what other jobs on a shared machine do not inflate)
const timed = (q: string): SearchResponse | undefined => {
  if (spent > budgetMs) return undefined;
  const c0 = process.cpuUsage();
  const s = performance.now();
  const r = ask(q);
  const ms = performance.now() - s;
  const c = process.cpuUsage(c0);
  spent += ms;
  times.push(ms);
  cpu.push((c.user + c.system) / 1000);
  return r;
};
let times: number[] = [];
let cpu: number[] = [];
let top1 = 0;
let scored = 0;
for (const q of questions) {
  const r = timed(q.q);
  if (!r) break;
  scored++;
  if (hitRank(q, r) === 1) top1++;
}
const first = times;
const firstCpu = cpu;
times = [];
cpu = [];
for (let round = 0; round < 3; round++) for (const q of questions) if (!timed(q.q)) break;
const warm = times;
const warmCpu = cpu;
const r3 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);
process.stdout.write(
  `${JSON.stringify({
    engine,
    clauses: index.clauses.length,
    docs: index.docs.length,
    questions: questions.length,
    scored,
    openMs: Math.round(openMs),
    buildMs: Math.round(buildMs),
    firstP50: r3(pct(first, 50)),
    firstP95: r3(pct(first, 95)),
    warmP50: r3(pct(warm, 50)),
    warmP95: r3(pct(warm, 95)),
    firstCpuP50: r3(pct(firstCpu, 50)),
    firstCpuP95: r3(pct(firstCpu, 95)),
    warmCpuP50: r3(pct(warmCpu, 50)),
    warmCpuP95: r3(pct(warmCpu, 95)),
    top1: r3(top1 / Math.max(1, scored)),
    rssMB: Math.round(process.memoryUsage().rss / 1048576),
  })}\n`,
);
