import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PolicyBotError } from '../errors.ts';
import { packageRoot } from '../package-root.ts';
import { FEATURES, type FeatureVector } from './features.ts';

/** A weight per named feature. */
const WeightsSchema = z.object(Object.fromEntries(FEATURES.map((f) => [f, z.number().finite()])) as Record<(typeof FEATURES)[number], z.ZodNumber>).strict();

/**
 * The ranking model's parameters: one linear scorer that orders candidate clauses, and one
 * logistic scorer over the best candidate that decides whether to answer at all. Both are fitted
 * by `npm run fit` (scripts/fit.ts) and kept in data/ranking-params.json; see the README.
 */
export const RankingParamsSchema = z
  .object({
    /** Format version of this file. */
    version: z.literal(1),
    /** How many BM25 candidates the model re-ranks. */
    candidates: z.number().int().min(5).max(500),
    /** Ranking: score = Σ weights[f] · feature f. */
    weights: WeightsSchema,
    /** Answer only when σ(bias + Σ weights[f] · f(best candidate)) ≥ threshold. */
    abstain: z.object({ bias: z.number().finite(), weights: WeightsSchema, threshold: z.number().min(0).max(1) }).strict(),
    /** How the parameters were fitted (questions, folds, figures on the training questions). */
    fitted: z.record(z.string(), z.unknown()),
  })
  .strict();

/** The fitted parameters of ranking and abstention. */
export type RankingParams = z.infer<typeof RankingParamsSchema>;

/** The parameters shipped with the package. */
export const SHIPPED_RANKING_PARAMS = join(packageRoot(), 'data/ranking-params.json');

/** Validates parsed parameters, naming the file in the error. */
export function parseRankingParams(json: unknown, source = 'ranking-params.json'): RankingParams {
  const r = RankingParamsSchema.safeParse(json);
  if (!r.success) throw new PolicyBotError('CONFIG_INVALID', `${source}: invalid ranking parameters (re-run npm run fit): ${r.error.message}`);
  return r.data;
}

let shipped: RankingParams | undefined;

/** Loads (once) the shipped parameters. */
export function defaultRankingParams(): RankingParams {
  shipped ??= parseRankingParams(JSON.parse(readFileSync(SHIPPED_RANKING_PARAMS, 'utf8')), SHIPPED_RANKING_PARAMS);
  return shipped;
}

/** Weights as a vector in FEATURES order. */
export function weightVector(w: Record<string, number>): Float64Array {
  return Float64Array.from(FEATURES, (f) => w[f] ?? 0);
}

/** Weights vector back to a named object (for the parameters file). */
export function namedWeights(v: ArrayLike<number>): Record<(typeof FEATURES)[number], number> {
  return Object.fromEntries(FEATURES.map((f, i) => [f, Math.round(v[i]! * 1e6) / 1e6])) as Record<(typeof FEATURES)[number], number>;
}

/** Dot product of a weight vector and a feature vector. */
export function dot(w: ArrayLike<number>, x: FeatureVector): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i]! * x[i]!;
  return s;
}

/** The logistic function. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
