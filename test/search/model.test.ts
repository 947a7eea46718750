import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collect, fitModel } from '../../src/answer/lodo.ts';
import { loadTrainingSet } from '../../src/answer/training-set.ts';
import { FEATURES } from '../../src/search/features.ts';
import { fitAbstention, fitRanker, type TrainingList, NOT_FOR_ABSTENTION } from '../../src/search/fit.ts';
import { buildIndex } from '../../src/search/inverted-index.ts';
import { defaultRankingParams, parseRankingParams, SHIPPED_RANKING_PARAMS, weightVector } from '../../src/search/model.ts';
import { ROOT } from '../helpers.ts';
import { textTools } from './fixtures.ts';

const D = FEATURES.length;
const vec = (values: Partial<Record<(typeof FEATURES)[number], number>>): Float64Array => weightVector(values);

describe('the ranking model', () => {
  it('learns which feature tells the right clause: a pairwise ranker on synthetic lists', () => {
    // the answering clause always has the higher `coverage`; `length` is noise
    const lists: TrainingList[] = Array.from({ length: 20 }, (_, i) => ({
      features: [vec({ coverage: 0.9, length: (i % 3) / 3 }), vec({ coverage: 0.2, length: ((i + 1) % 3) / 3 }), vec({ coverage: 0.4, length: 0.5 })],
      labels: [true, false, false],
      inScope: true,
    }));
    const w = fitRanker(lists);
    expect(w[FEATURES.indexOf('coverage')]!).toBeGreaterThan(1);
    expect(Math.abs(w[FEATURES.indexOf('length')]!)).toBeLessThan(w[FEATURES.indexOf('coverage')]! / 5);
    // deterministic
    expect([...fitRanker(lists)]).toEqual([...w]);
  });

  it('fits the ranker to the optimum of its penalised loss: the gradient vanishes at the fitted weights', () => {
    // overlapping classes (no separating weight), so the optimum is finite and the L2 term matters
    const lists: TrainingList[] = Array.from({ length: 30 }, (_, i) => ({
      features: [vec({ coverage: 0.5 + ((i * 7) % 10) / 20, bm25: (i % 4) / 4 }), vec({ coverage: 0.4 + ((i * 3) % 10) / 20, bm25: ((i + 2) % 4) / 4 })],
      labels: [true, false],
      inScope: true,
    }));
    const l2 = 1e-4;
    const w = fitRanker(lists, { l2 });
    const grad = new Float64Array(D);
    for (const l of lists) {
      const d = l.features[0]!.map((v, k) => v - l.features[1]![k]!);
      const s = 1 / (1 + Math.exp(d.reduce((acc, v, k) => acc + v * w[k]!, 0)));
      for (let k = 0; k < D; k++) grad[k]! += (-s * d[k]!) / lists.length;
    }
    for (let k = 0; k < D; k++) expect(Math.abs(grad[k]! + l2 * w[k]!)).toBeLessThan(1e-8);
  });

  it('picks an abstention threshold that declines at most the allowed share of in-scope questions', () => {
    const inScope: TrainingList[] = Array.from({ length: 100 }, (_, i) => ({
      features: [vec({ coverage: 0.3 + (0.7 * i) / 100 })],
      labels: [true],
      inScope: true,
    }));
    const oos: TrainingList[] = Array.from({ length: 20 }, (_, i) => ({ features: [vec({ coverage: (0.4 * i) / 20 })], labels: [false], inScope: false }));
    const w = new Float64Array(D);
    w[FEATURES.indexOf('coverage')] = 1;
    const m = fitAbstention([...inScope, ...oos], w, 0.03);
    const p = (x: Float64Array): number => 1 / (1 + Math.exp(-(m.bias + x.reduce((s, v, k) => s + v * m.weights[k]!, 0))));
    const declined = inScope.filter((l) => p(l.features[0]!) < m.threshold).length;
    expect(declined).toBeLessThanOrEqual(3);
    expect(oos.filter((l) => p(l.features[0]!) < m.threshold).length).toBeGreaterThan(10);
  });

  it('rejects a parameters file that lacks a feature, naming the file', () => {
    const shipped = JSON.parse(readFileSync(SHIPPED_RANKING_PARAMS, 'utf8'));
    delete shipped.weights.coverage;
    expect(() => parseRankingParams(shipped, 'x.json')).toThrow(/x\.json.*npm run fit/s);
  });

  it('ships exactly the parameters `npm run fit` fits on the training set (no hand-set weights)', async () => {
    const set = await loadTrainingSet(ROOT);
    const index = buildIndex(set.corpus, textTools());
    const m = fitModel(collect(index, set.questions, defaultRankingParams()));
    const shipped = defaultRankingParams();
    FEATURES.forEach((f, k) => {
      expect(shipped.weights[f], f).toBeCloseTo(m.weights[k]!, 4);
      expect(shipped.abstain.weights[f], f).toBeCloseTo(m.abstain.weights[k]!, 4);
    });
    expect(shipped.abstain.threshold).toBeCloseTo(m.abstain.threshold, 4);
    // ranking-only features play no part in abstention
    for (const f of NOT_FOR_ABSTENTION) expect(shipped.abstain.weights[f as (typeof FEATURES)[number]], f).toBe(0);
    expect(shipped.weights.characters).not.toBe(0);
  }, 120_000);
});
