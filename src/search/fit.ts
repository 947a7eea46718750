import { FEATURES, type FeatureVector } from './features.ts';
import { dot, sigmoid } from './model.ts';

/**
 * Fitting the ranking model: a pairwise logistic ranker over candidate lists, and a logistic
 * abstention model over each question's best candidate with a threshold chosen for a target
 * false-abstention rate. Deterministic: the same questions always give the same parameters.
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
  /** Newton steps of the ranker (it stops earlier once converged). */
  steps?: number;
  /** Abstention: most in-scope training questions the threshold may decline. */
  maxFalseAbstention?: number;
}

const D = FEATURES.length;

/**
 * Features the abstention model leaves out: they help order a question's candidates but say
 * little about whether the question is in scope at all (an everyday question shares characters
 * with some clause as readily as a policy question does).
 */
export const NOT_FOR_ABSTENTION: ReadonlySet<string> = new Set(['characters']);
const abstains = Float64Array.from(FEATURES, (f) => (NOT_FOR_ABSTENTION.has(f) ? 0 : 1));
const MAX_POSITIVES = 2;
const MAX_NEGATIVES = 30;

/**
 * Pairwise logistic ranking: for every question, every (answering, non-answering) pair of
 * candidates should score in that order; each question weighs the same however many pairs it has.
 * Minimised exactly by Newton's method (the loss is convex and has few dimensions), so the weights
 * are the optimum of the penalised loss, not wherever a fixed number of gradient steps stopped.
 */
export function fitRanker(lists: readonly TrainingList[], opts: FitOptions = {}): Float64Array {
  const l2 = opts.l2 ?? 1e-4;
  const steps = opts.steps ?? 30;
  // per pair: its difference vector (answering − other) and its question's share
  const diffs: Float64Array[] = [];
  const shares: number[] = [];
  let questions = 0;
  for (const l of lists) {
    // candidates come in BM25 order: the first answering ones against the strongest other ones
    const pos = l.features.filter((_, i) => l.labels[i]).slice(0, MAX_POSITIVES);
    const neg = l.features.filter((_, i) => !l.labels[i]).slice(0, MAX_NEGATIVES);
    if (pos.length === 0 || neg.length === 0) continue;
    questions++;
    for (const p of pos) {
      for (const n of neg) {
        const d = new Float64Array(D);
        for (let k = 0; k < D; k++) d[k] = p[k]! - n[k]!;
        diffs.push(d);
        shares.push(1 / (pos.length * neg.length));
      }
    }
  }
  const w = new Float64Array(D);
  const Q = questions || 1;
  for (let step = 0; step < steps; step++) {
    const grad = new Float64Array(D);
    const hess = new Float64Array(D * D);
    diffs.forEach((d, i) => {
      // loss log(1 + e^(−w·d)): gradient −σ(−w·d) d, Hessian σ(1−σ) d dᵀ
      const s = sigmoid(-dot(w, d));
      const share = shares[i]! / Q;
      const h = s * (1 - s) * share;
      for (let a = 0; a < D; a++) {
        if (d[a] === 0) continue;
        grad[a]! -= s * share * d[a]!;
        for (let b = 0; b <= a; b++) hess[a * D + b]! += h * d[a]! * d[b]!;
      }
    });
    for (let a = 0; a < D; a++) {
      grad[a]! += l2 * w[a]!;
      hess[a * D + a]! += l2;
      for (let b = 0; b < a; b++) hess[b * D + a] = hess[a * D + b]!;
    }
    const move = solveSymmetric(hess, grad);
    let largest = 0;
    for (let k = 0; k < D; k++) {
      w[k]! -= move[k]!;
      largest = Math.max(largest, Math.abs(move[k]!));
    }
    if (largest < 1e-9) break;
  }
  return w;
}

/** Solves A x = b for a symmetric positive definite D×D matrix A (Cholesky). */
function solveSymmetric(A: Float64Array, b: Float64Array, n: number = D): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
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
  const xs: Array<{ x: FeatureVector; y: number }> = [];
  for (const l of lists) {
    const x = topFeatures(l, ranker);
    if (x) xs.push({ x, y: l.inScope ? 1 : 0 });
  }
  const nPos = xs.filter((e) => e.y === 1).length || 1;
  const nNeg = xs.filter((e) => e.y === 0).length || 1;
  // Newton's method on the class-balanced, L2-penalised log loss (bias unpenalised), to convergence:
  // the weights are the optimum, not wherever a fixed number of gradient steps stopped
  const used = FEATURES.flatMap((_, k) => (abstains[k] ? [k] : []));
  const P = used.length + 1; // the bias last
  const w = new Float64Array(D);
  let bias = 0;
  for (let step = 0; step < 50; step++) {
    const grad = new Float64Array(P);
    const hess = new Float64Array(P * P);
    for (const { x, y } of xs) {
      const share = 0.5 / (y === 1 ? nPos : nNeg);
      const p = sigmoid(bias + dot(w, x));
      const g = (p - y) * share;
      const h = p * (1 - p) * share;
      for (let a = 0; a < P; a++) {
        const xa = a < used.length ? x[used[a]!]! : 1;
        if (xa === 0) continue;
        grad[a]! += g * xa;
        for (let c = 0; c <= a; c++) {
          const xc = c < used.length ? x[used[c]!]! : 1;
          hess[a * P + c]! += h * xa * xc;
        }
      }
    }
    for (let a = 0; a < P; a++) {
      if (a < used.length) {
        grad[a]! += l2 * w[used[a]!]!;
        hess[a * P + a]! += l2;
      } else hess[a * P + a]! += 1e-9;
      for (let c = 0; c < a; c++) hess[c * P + a] = hess[a * P + c]!;
    }
    const move = solveSymmetric(hess, grad, P);
    let largest = 0;
    for (let a = 0; a < P; a++) {
      if (a < used.length) w[used[a]!]! -= move[a]!;
      else bias -= move[a]!;
      largest = Math.max(largest, Math.abs(move[a]!));
    }
    if (largest < 1e-9) break;
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
