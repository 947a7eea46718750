import { resolve } from 'node:path';
import { collect } from '../src/answer/lodo.ts';
import { loadTrainingSet } from '../src/answer/training-set.ts';
import { FEATURES } from '../src/search/features.ts';
import { buildIndex } from '../src/search/index.ts';
import { defaultRankingParams, dot, weightVector } from '../src/search/model.ts';
import { createTextTools } from '../src/text/toolkit.ts';

const root = resolve(import.meta.dirname, '..');
const set = await loadTrainingSet(root);
const index = buildIndex(set.corpus, createTextTools());
const params = defaultRankingParams();
const ids = process.argv.slice(2);
const qs = ids.length ? set.questions.filter((q) => ids.includes(q.id ?? '')) : set.questions;
const all = collect(index, qs, params);
const w = weightVector(params.weights);
let noPos = 0;
let n = 0;
for (const c of all) {
  if (c.forced || !c.list.inScope) continue;
  n++;
  if (!c.list.labels.some(Boolean)) {
    noPos++;
    if (!ids.length) console.log('no candidate:', c.q.id, c.q.q, '|', c.q.expect);
  }
}
console.log(`recall: ${n - noPos}/${n}`);
if (ids.length) {
  for (const c of all) {
    console.log(`\n${c.q.id} ${c.q.q} → ${c.q.expect}`);
    const order = c.list.features.map((f, i) => ({ i, s: dot(w, f) })).sort((a, b) => b.s - a.s);
    const r = (await import('../src/search/rank.ts')).searchClauses(index, c.q.q, { allCandidates: true });
    console.log('groups', r.analyzed.groups.map((g) => `${g.text}[${g.expansions.join('/')}]`).join(' '), 'kind', r.analyzed.kind);
    order.slice(0, 4).forEach((o, k) => {
      const ic = index.clauses[r.ranked[o.i]!.id]!;
      console.log(` ${k + 1}${c.list.labels[o.i] ? '*' : ' '} ${o.s.toFixed(2)} ${ic.clause.text.slice(0, 70)}`);
      console.log('    ' + FEATURES.map((f, j) => (c.list.features[o.i]![j] ? `${f}=${c.list.features[o.i]![j]!.toFixed(2)}` : '')).filter(Boolean).join(' '));
    });
    const p = c.list.labels.findIndex(Boolean);
    if (p >= 0 && !order.slice(0, 1).some((o) => o.i === p)) {
      const rank = order.findIndex((o) => o.i === p) + 1;
      console.log(` right one at ${rank}: ${FEATURES.map((f, j) => (c.list.features[p]![j] ? `${f}=${c.list.features[p]![j]!.toFixed(2)}` : '')).filter(Boolean).join(' ')}`);
      console.log('   ' + index.clauses[r.ranked[p]!.id]!.clause.text.slice(0, 90));
    }
  }
}
