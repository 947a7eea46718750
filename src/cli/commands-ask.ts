import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hitRank, parseEvalFile, summarize } from '../answer/eval.ts';
import { collect, figures, leaveOneDocumentOut } from '../answer/lodo.ts';
import { exampleTopics } from '../answer/suggestions.ts';
import { loadTrainingSet } from '../answer/training-set.ts';
import { buildIndex } from '../search/inverted-index.ts';
import { defaultRankingParams } from '../search/model.ts';
import { createTextTools } from '../text/toolkit.ts';
import { openCorpus } from '../corpus/open.ts';
import type { SearchIndex } from '../search/inverted-index.ts';
import { answerQuestion, type SearchResponse } from '../answer/answer.ts';
import type { CliIO } from './io.ts';

/** The JSON line of `ask --json`; its field names are read by external evaluation. */
export function answerJson(r: SearchResponse): unknown {
  return {
    query: r.query,
    answered: r.answered,
    results: r.hits.map((h) => ({ text: h.passage, score: h.score, citation: h.citation })),
  };
}

/** `policybot ask [--json] [--top N] [QUESTION]`; without QUESTION, one question per stdin line. */
export async function askCommand(io: CliIO, dataDir: string, opts: { json: boolean; top: number; question?: string }): Promise<number> {
  const { corpus, index } = await openCorpus(dataDir);
  const answer = (q: string): void => {
    const r = answerQuestion(index, q, { limit: opts.top });
    if (opts.json) {
      io.out(`${JSON.stringify(answerJson(r))}\n`);
      return;
    }
    if (!r.answered) {
      io.out(`没有找到与“${q.trim()}”相关的条款。可以试试问：${exampleTopics(corpus, 4, index.tools.synonyms).join('、')}。\n\n`);
      return;
    }
    r.hits.forEach((h, i) => {
      io.out(`${opts.top > 1 ? `[${i + 1}] ` : ''}${h.passage}\n—— ${h.citation.label}\n\n`);
    });
  };
  if (opts.question !== undefined) {
    answer(opts.question);
    return 0;
  }
  for await (const line of io.lines()) {
    if (line.trim() === '') {
      if (opts.json) io.out(`${JSON.stringify({ query: line, answered: false, results: [] })}\n`);
      continue;
    }
    answer(line);
  }
  return 0;
}

/** Runs an evaluation file against an index and returns the per-kind table and misses. */
export function runEval(index: SearchIndex, text: string) {
  const questions = parseEvalFile(text);
  const rows = questions.map((q) => {
    const r = answerQuestion(index, q.q, { limit: 5 });
    return { q, kind: q.kind, rank: hitRank(q, r), answered: r.answered };
  });
  const answerable = rows.filter((r) => r.kind !== 'oos');
  const oos = rows.filter((r) => r.kind === 'oos');
  return {
    table: summarize(rows),
    abstention: {
      oosCorrect: oos.length ? oos.filter((r) => !r.answered).length / oos.length : 1,
      falseAbstain: answerable.length ? answerable.filter((r) => !r.answered).length / answerable.length : 0,
    },
    misses: rows.filter((r) => r.rank !== 1).map((r) => r.q),
  };
}

/**
 * `npm run eval -- --by-document [FILE...]`: leave-one-document-out over the training set (the
 * repository's documents and question files, plus FILEs): each document's questions are scored
 * by a model fitted without them. Prints figures per document, per kind and overall.
 */
export async function evalByDocumentCommand(io: CliIO, files: string[]): Promise<number> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const set = await loadTrainingSet(root);
  for (const f of files) for (const q of parseEvalFile(readFileSync(resolve(f), 'utf8'))) set.questions.push({ ...q, source: f });
  const index = buildIndex(set.corpus, createTextTools());
  const docs = new Set(index.docs.flatMap((d) => [d.doc.docNumber, d.doc.title]));
  const usable = set.questions.filter((q) => q.kind === 'oos' || docs.has(q.doc ?? ''));
  const skipped = set.questions.length - usable.length;
  const rows = leaveOneDocumentOut(collect(index, usable, defaultRankingParams()));
  const pct = (x: number): string => (Number.isNaN(x) ? '     -' : `${(x * 100).toFixed(1)}%`.padStart(6));
  const line = (name: string, sel: typeof rows): string => {
    const f = figures(sel);
    return `${name.padEnd(34)}${String(f.n).padStart(5)} ${pct(f.top1)}  ${pct(f.top3)}  ${pct(f.falseAbstention)}  ${pct(f.oosDeclined)}\n`;
  };
  io.out(
    `leave-one-document-out over ${index.docs.length} documents, ${usable.length} questions${skipped ? ` (${skipped} skipped: document not in the training corpus)` : ''}\n`,
  );
  io.out(`${'document'.padEnd(34)}${'n'.padStart(5)}  top-1   top-3  declined  oos-declined\n`);
  for (const fold of [...new Set(rows.map((r) => r.fold))].sort())
    io.out(
      line(
        fold,
        rows.filter((r) => r.fold === fold),
      ),
    );
  io.out('\n');
  for (const kind of [...new Set(rows.map((r) => r.q.kind))].sort())
    io.out(
      line(
        `kind ${kind}`,
        rows.filter((r) => r.q.kind === kind),
      ),
    );
  io.out(line('all', rows));
  for (const r of rows.filter((x) => (x.q.kind === 'oos' ? x.rank !== 1 : x.rank !== 1)))
    io.out(`miss ${r.q.id ?? ''} [${r.q.kind}] ${r.answered ? `rank ${r.rank || '>5'}` : 'declined'} ${r.q.q}\n`);
  return 0;
}

/** `npm run eval [-- FILE]`: top-1, top-3, MRR per kind and the abstention rates. */
export async function evalCommand(io: CliIO, dataDir: string, file: string | undefined): Promise<number> {
  const candidates = file ? [file] : ['../shared/eval/questions.sample.jsonl', 'test/fixtures/questions/extra.jsonl'];
  const path = candidates.map((c) => resolve(c)).find((c) => existsSync(c));
  if (!path) {
    io.err(`usage: npm run eval -- FILE (no such file: ${candidates.join(', ')})\n`);
    return 2;
  }
  const { index } = await openCorpus(dataDir);
  const r = runEval(index, readFileSync(path, 'utf8'));
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);
  io.out(`${path}\n${'kind'.padEnd(12)}${'n'.padStart(5)}${'top-1'.padStart(8)}${'top-3'.padStart(8)}${'MRR'.padStart(8)}\n`);
  for (const row of r.table) {
    io.out(`${row.kind.padEnd(12)}${String(row.n).padStart(5)} ${pct(row.top1)} ${pct(row.top3)} ${row.mrr.toFixed(3).padStart(7)}\n`);
  }
  io.out(
    `abstention: out-of-scope correctly declined ${pct(r.abstention.oosCorrect).trim()}, answerable questions declined ${pct(r.abstention.falseAbstain).trim()}\n`,
  );
  for (const m of r.misses) io.out(`miss ${m.id ?? ''} [${m.kind}] ${m.q}\n`);
  return 0;
}
