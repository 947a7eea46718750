import { FEATURES, type FeatureVector } from './features.ts';
import { dot, sigmoid } from './model.ts';

/**
 * Fitting the ranking model: a pairwise logistic ranker over candidate lists, and a logistic
 * abstention model over each question's best candidate with a threshold chosen for a target
 * false-abstention rate. Plain gradient descent from zero for a fixed number of steps, so the
 * same questions always give the same parameters.
 */

/** One question's candidates as the model sees them. */
export interface TrainingList {
  /** Feature vectors of the candidates. */
  features: FeatureVector[];
  /** Which candidates answer the question (the evaluation's hit rule). */
  labels: boolean[];
  /** False for out-of-scope questions. */
  inScope: boolean;
}

/** Fitting options (the defaults are what `npm run fit` uses). */
export interface FitOptions {
  /** L2 penalty on the weights. */
  l2?: number;
  /** Gradient steps. */
  steps?: number;
  /** Step size. */
  rate?: number;
  /** Abstention: most in-scope training questions the threshold may decline. */
  maxFalseAbstention?: number;
}

const D = FEATURES.length;
const MAX_POSITIVES = 2;
const MAX_NEGATIVES = 30;

/**
 * Pairwise logistic ranking: for every question, every (answering, non-answering) pair of
 * candidates should score in that order; each question weighs the same however many pairs it has.
 */
export function fitRanker(lists: readonly TrainingList[], opts: FitOptions = {}): Float64Array {
  const l2 = opts.l2 ?? 1e-3;
  const steps = opts.steps ?? 400;
  const rate = opts.rate ?? 2;
  // per question: the difference vectors of its pairs (answering − other)
  const diffs: Float64Array[][] = [];
  for (const l of lists) {
    // candidates come in BM25 order: the first answering ones against the strongest other ones
    const pos = l.features.filter((_, i) => l.labels[i]).slice(0, MAX_POSITIVES);
    const neg = l.features.filter((_, i) => !l.labels[i]).slice(0, MAX_NEGATIVES);
    if (pos.length === 0 || neg.length === 0) continue;
    const ds: Float64Array[] = [];
    for (const p of pos) {
      for (const n of neg) {
        const d = new Float64Array(D);
        for (let k = 0; k < D; k++) d[k] = p[k]! - n[k]!;
        ds.push(d);
      }
    }
    diffs.push(ds);
  }
  const w = new Float64Array(D);
  const grad = new Float64Array(D);
  const Q = diffs.length || 1;
  for (let step = 0; step < steps; step++) {
    grad.fill(0);
    for (const ds of diffs) {
      const share = 1 / (ds.length * Q);
      for (const d of ds) {
        // d/dw log(1 + e^(−w·d)) = −σ(−w·d) d
        const g = -sigmoid(-dot(w, d)) * share;
        for (let k = 0; k < D; k++) grad[k]! += g * d[k]!;
      }
    }
    for (let k = 0; k < D; k++) w[k]! -= rate * (grad[k]! + l2 * w[k]!);
  }
  return w;
}

/** The abstention model: a logistic scorer of the best candidate and its answer threshold. */
export interface AbstentionModel {
  bias: number;
  weights: Float64Array;
  threshold: number;
}

/** The best candidate's features under ranking weights `w`. */
export function topFeatures(l: TrainingList, w: ArrayLike<number>): FeatureVector | undefined {
  let best: FeatureVector | undefined;
  let bestScore = -Infinity;
  for (const f of l.features) {
    const s = dot(w, f);
    if (s > bestScore) {
      bestScore = s;
      best = f;
    }
  }
  return best;
}

/**
 * Fits P(in scope | best candidate) by logistic regression (classes weighed equally), then picks
 * the highest threshold that declines at most `maxFalseAbstention` of the in-scope questions.
 */
export function fitAbstention(lists: readonly TrainingList[], ranker: ArrayLike<number>, maxFalseAbstention: number, opts: FitOptions = {}): AbstentionModel {
  const l2 = opts.l2 ?? 1e-3;
  const steps = opts.steps ?? 600;
  const rate = opts.rate ?? 2;
  const xs: Array<{ x: FeatureVector; y: number }> = [];
  for (const l of lists) {
    const x = topFeatures(l, ranker);
    if (x) xs.push({ x, y: l.inScope ? 1 : 0 });
  }
  const nPos = xs.filter((e) => e.y === 1).length || 1;
  const nNeg = xs.filter((e) => e.y === 0).length || 1;
  const w = new Float64Array(D);
  let bias = 0;
  const grad = new Float64Array(D);
  for (let step = 0; step < steps; step++) {
    grad.fill(0);
    let gb = 0;
    for (const { x, y } of xs) {
      const share = 0.5 / (y === 1 ? nPos : nNeg);
      const g = (sigmoid(bias + dot(w, x)) - y) * share;
      gb += g;
      for (let k = 0; k < D; k++) grad[k]! += g * x[k]!;
    }
    bias -= rate * gb;
    for (let k = 0; k < D; k++) w[k]! -= rate * (grad[k]! + l2 * w[k]!);
  }
  const inScope = xs
    .filter((e) => e.y === 1)
    .map((e) => sigmoid(bias + dot(w, e.x)))
    .sort((a, b) => a - b);
  // the largest threshold with at most maxFalseAbstention of in-scope questions below it
  const allowed = Math.floor(inScope.length * maxFalseAbstention);
  const threshold = inScope.length ? Math.max(0, inScope[allowed]! - 1e-9) : 0.5;
  return { bias, weights: w, threshold };
}
