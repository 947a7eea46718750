/**
 * Query latency in one fresh process over one data directory, printing one JSON line:
 *   node --import tsx bench/latency.ts DATA_DIR QUESTIONS.jsonl
 * Opens the corpus as the CLI does (index snapshot), then asks every question once in file order
 * (first pass: lazy structures such as the typo repairer are built by the questions that need
 * them) and three more times (warm). Also reports top-1 on the same questions, so a faster but
 * worse index would show.
 */
import { readFileSync } from 'node:fs';
import { hitRank, parseEvalFile } from '../src/answer/eval.ts';
import { openCorpus } from '../src/corpus/open.ts';
import { search } from '../src/search/rank.ts';

const [dataDir, questionFile] = process.argv.slice(2);
if (!dataDir || !questionFile) throw new Error('usage: latency.ts DATA_DIR QUESTIONS.jsonl');
const questions = parseEvalFile(readFileSync(questionFile, 'utf8'));
const t0 = performance.now();
const { index } = await openCorpus(dataDir);
const openMs = performance.now() - t0;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!;
};
const first: number[] = [];
let top1 = 0;
let answerable = 0;
for (const q of questions) {
  const s = performance.now();
  const r = search(index, q.q, { limit: 5 });
  first.push(performance.now() - s);
  if (q.kind !== 'oos') {
    answerable++;
    if (hitRank(q, r) === 1) top1++;
  }
}
const warm: number[] = [];
for (let round = 0; round < 3; round++) {
  for (const q of questions) {
    const s = performance.now();
    search(index, q.q, { limit: 5 });
    warm.push(performance.now() - s);
  }
}
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify({
    clauses: index.clauses.length,
    docs: index.docs.length,
    questions: questions.length,
    openMs: Math.round(openMs),
    firstP50: round3(pct(first, 50)),
    firstP95: round3(pct(first, 95)),
    firstMax: round3(Math.max(...first)),
    warmP50: round3(pct(warm, 50)),
    warmP95: round3(pct(warm, 95)),
    top1: round3(top1 / Math.max(1, answerable)),
    rssMB: Math.round(process.memoryUsage().rss / 1048576),
  })}\n`,
);
