import { resolve } from 'node:path';
import { collect } from '../src/answer/lodo.ts';
import { loadTrainingSet } from '../src/answer/training-set.ts';
import { FEATURES } from '../src/search/features.ts';
import { topFeatures } from '../src/search/fit.ts';
import { buildIndex } from '../src/search/index.ts';
import { defaultRankingParams, dot, sigmoid, weightVector } from '../src/search/model.ts';
import { createTextTools } from '../src/text/toolkit.ts';

const root = resolve(import.meta.dirname, '..');
const set = await loadTrainingSet(root);
const index = buildIndex(set.corpus, createTextTools());
const params = defaultRankingParams();
const all = collect(index, set.questions, params);
const w = weightVector(params.weights);
const aw = weightVector(params.abstain.weights);
const rows = all.filter((c) => !c.forced).map((c) => {
  const t = topFeatures(c.list, w)!;
  return { c, p: sigmoid(params.abstain.bias + dot(aw, t)), t };
});
rows.sort((a, b) => a.p - b.p);
for (const r of rows.slice(0, 90)) console.log(r.p.toFixed(3), r.c.q.kind.padEnd(10), r.c.q.q, '|', ['topicMissing', 'corpusMissing', 'topicCoverage', 'coverage', 'words'].map((f) => `${f}=${r.t[FEATURES.indexOf(f as never)]!.toFixed(2)}`).join(' '));
console.log('oos above threshold:');
for (const r of rows.filter((x) => x.c.q.kind === 'oos' && x.p >= params.abstain.threshold)) console.log(r.p.toFixed(3), r.c.q.q, '|', ['topicMissing', 'corpusMissing', 'topicCoverage', 'coverage', 'words'].map((f) => `${f}=${r.t[FEATURES.indexOf(f as never)]!.toFixed(2)}`).join(' '));
