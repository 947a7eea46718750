import { fitAbstention, fitRanker, topFeatures, type FitOptions, type TrainingList } from '../search/fit.ts';
import type { SearchIndex } from '../search/inverted-index.ts';
import { dot, namedWeights, sigmoid, type RankingParams } from '../search/model.ts';
import { searchClauses } from '../search/rank.ts';
import { quoteClause } from './answer.ts';
import { answersQuestion, hitAnswers, type EvalQuestion } from './eval.ts';

/** Most in-scope questions a fitted threshold may decline on its training questions. */
export const TRAINING_FALSE_ABSTENTION = 0.025;

/** One question run through the search once: its candidates for the model, or its exact answer. */
export interface Collected {
  q: EvalQuestion;
  /** The document it is held out with: its `doc`, or an out-of-scope group. */
  fold: string;
  list: TrainingList;
  /** Exact lookups (文号, clause references) and document-filtered questions are always answered. */
  forced: boolean;
  /** For exact lookups: the rank the lookup gave (0 = missed); the model plays no part. */
  exactRank?: number;
  /** For exact lookups: whether they answered. */
  exactAnswered?: boolean;
}

/** Runs every question once with all its candidates and their features. */
export function collect(index: SearchIndex, questions: readonly EvalQuestion[], params: RankingParams): Collected[] {
  return questions.map((q, i) => {
    const r = searchClauses(index, q.q, { params, allCandidates: true, limit: 5 });
    const inScope = q.kind !== 'oos';
    // labelled as the user reads each candidate: its quoted passage (with list context) or its clause
    const labels = r.ranked.map(
      (c) =>
        inScope &&
        (q.kind === 'lookup'
          ? answersQuestion(q, index.clauses[c.id]!.clause, index.docs[index.clauses[c.id]!.doc]!.doc)
          : hitAnswers(q, quoteClause(index, c.id, 0, r.analyzed))),
    );
    const fold = inScope ? (q.doc ?? '') : `(out of scope ${i % 5})`;
    const list: TrainingList = { features: r.ranked.map((c) => c.features), labels, inScope };
    if (r.basis === 'search') return { q, fold, list, forced: false };
    if (r.basis === 'document' && r.ranked[0]?.features.length) return { q, fold, list, forced: true };
    // a clause reference answers with its whole unit (one hit), a document question with its opening
    const first = r.basis === 'clause-ref' ? (labels.some(Boolean) ? 0 : -1) : labels.findIndex(Boolean);
    return {
      q,
      fold,
      list,
      forced: true,
      exactAnswered: r.answered,
      exactRank: !r.answered ? 0 : q.kind === 'lookup' ? (labels[0] ? 1 : 0) : first >= 0 && first < 5 ? first + 1 : 0,
    };
  });
}

/** Ranking weights and abstention model fitted on some collected questions. */
export interface FittedModel {
  weights: Float64Array;
  abstain: { bias: number; weights: Float64Array; threshold: number };
}

/** Fits ranking and abstention on the given questions. */
export function fitModel(train: readonly Collected[], opts: FitOptions = {}): FittedModel {
  const lists = train.filter((c) => !c.forced || c.exactRank === undefined).map((c) => c.list);
  const weights = fitRanker(
    lists.filter((l) => l.inScope),
    opts,
  );
  const abstain = fitAbstention(
    train.filter((c) => !c.forced).map((c) => c.list),
    weights,
    opts.maxFalseAbstention ?? TRAINING_FALSE_ABSTENTION,
  );
  return { weights, abstain };
}

/** What the model does with one question: answered or not, and the rank of the first right clause (0 = none in the top 5). */
export function predict(m: FittedModel, c: Collected): { answered: boolean; rank: number } {
  if (c.exactRank !== undefined) return { answered: c.exactAnswered ?? false, rank: c.q.kind === 'oos' ? (c.exactAnswered ? 0 : 1) : c.exactRank };
  const order = c.list.features.map((f, i) => ({ i, s: dot(m.weights, f) })).sort((a, b) => b.s - a.s || a.i - b.i);
  const top = topFeatures(c.list, m.weights);
  const answered = c.forced || (top !== undefined && sigmoid(m.abstain.bias + dot(m.abstain.weights, top)) >= m.abstain.threshold);
  if (c.q.kind === 'oos') return { answered, rank: answered ? 0 : 1 };
  if (!answered) return { answered, rank: 0 };
  const at = order.slice(0, 5).findIndex((o) => c.list.labels[o.i]);
  return { answered, rank: at + 1 };
}

/** One question's held-out outcome. */
export interface HeldOut {
  q: EvalQuestion;
  fold: string;
  answered: boolean;
  rank: number;
}

/** Leave-one-document-out: every fold's questions scored by a model fitted on all other folds. */
export function leaveOneDocumentOut(all: readonly Collected[], opts: FitOptions = {}): HeldOut[] {
  const folds = [...new Set(all.map((c) => c.fold))].sort();
  const out: HeldOut[] = [];
  for (const fold of folds) {
    const model = fitModel(
      all.filter((c) => c.fold !== fold),
      opts,
    );
    for (const c of all.filter((x) => x.fold === fold)) out.push({ q: c.q, fold, ...predict(model, c) });
  }
  return out;
}

/** Summary figures of held-out outcomes. */
export interface LodoFigures {
  n: number;
  top1: number;
  top3: number;
  /** Share of in-scope questions declined. */
  falseAbstention: number;
  /** Share of out-of-scope questions declined. */
  oosDeclined: number;
}

/** Figures over a set of held-out outcomes (top-1 and top-3 over in-scope questions). */
export function figures(rows: readonly HeldOut[]): LodoFigures {
  const inScope = rows.filter((r) => r.q.kind !== 'oos');
  const oos = rows.filter((r) => r.q.kind === 'oos');
  const share = (n: number, d: number): number => (d ? n / d : NaN);
  return {
    n: rows.length,
    top1: share(inScope.filter((r) => r.rank === 1).length, inScope.length),
    top3: share(inScope.filter((r) => r.rank >= 1 && r.rank <= 3).length, inScope.length),
    falseAbstention: share(inScope.filter((r) => !r.answered).length, inScope.length),
    oosDeclined: share(oos.filter((r) => !r.answered).length, oos.length),
  };
}

/** The parameters file content for a model fitted on all questions. */
export function paramsFile(m: FittedModel, candidates: number, fitted: Record<string, unknown>): RankingParams {
  return {
    version: 1,
    candidates,
    weights: namedWeights(m.weights),
    abstain: { bias: Math.round(m.abstain.bias * 1e6) / 1e6, weights: namedWeights(m.abstain.weights), threshold: Math.round(m.abstain.threshold * 1e6) / 1e6 },
    fitted,
  };
}
