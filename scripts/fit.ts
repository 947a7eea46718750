/**
 * `npm run fit`: fits the ranking model on the training set (shipped bulletin, development
 * documents and regulations in test/fixtures, every question file in test/fixtures/questions/)
 * and writes data/ranking-params.json. Deterministic: the same questions give the same file.
 * Prints the leave-one-document-out figures of the same procedure, the ones the README reports.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collect, figures, fitModel, leaveOneDocumentOut, paramsFile, TRAINING_FALSE_ABSTENTION } from '../src/answer/lodo.ts';
import { loadTrainingSet } from '../src/answer/training-set.ts';
import { buildIndex } from '../src/search/inverted-index.ts';
import { defaultRankingParams, SHIPPED_RANKING_PARAMS } from '../src/search/model.ts';
import { createTextTools } from '../src/text/toolkit.ts';

const root = resolve(import.meta.dirname, '..');
const set = await loadTrainingSet(root);
const index = buildIndex(set.corpus, createTextTools());
const base = defaultRankingParams();
const all = collect(index, set.questions, base);
const model = fitModel(all);
const lodo = figures(leaveOneDocumentOut(all));
const pct = (x: number): number => Math.round(x * 1000) / 10;
const params = paramsFile(model, base.candidates, {
  by: 'npm run fit',
  questions: set.questions.length,
  documents: index.docs.length,
  method: `pairwise logistic ranking (L2 1e-4, Newton to convergence); logistic abstention on the best candidate, threshold at ${TRAINING_FALSE_ABSTENTION * 100}% false abstention on the training questions`,
  leaveOneDocumentOut: { top1: pct(lodo.top1), top3: pct(lodo.top3), falseAbstention: pct(lodo.falseAbstention), oosDeclined: pct(lodo.oosDeclined) },
});
writeFileSync(SHIPPED_RANKING_PARAMS, `${JSON.stringify(params, null, 2)}\n`);
console.log(`${join('data', 'ranking-params.json')}: fitted on ${set.questions.length} questions over ${index.docs.length} documents`);
console.log(
  `leave-one-document-out: top-1 ${pct(lodo.top1)}%, top-3 ${pct(lodo.top3)}%, false abstention ${pct(lodo.falseAbstention)}%, out-of-scope declined ${pct(lodo.oosDeclined)}%`,
);
