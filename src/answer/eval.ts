import { z } from 'zod';
import { PolicyBotError } from '../errors.ts';
import type { Clause, PolicyDocument } from '../corpus/types.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { SearchResponse } from './answer.ts';

/** One evaluation question, in the format of shared/eval/questions.sample.jsonl. */
export const EvalQuestionSchema = z.object({
  id: z.string().optional(),
  q: z.string(),
  kind: z.string(),
  doc: z.string().optional(),
  expect: z.string().optional(),
});
export type EvalQuestion = z.infer<typeof EvalQuestionSchema>;

/** Parses a JSONL file of questions; a bad line throws with its number. */
export function parseEvalFile(text: string): EvalQuestion[] {
  return text
    .split(/\r?\n/)
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l.length > 0)
    .map(([l, n]) => {
      try {
        return EvalQuestionSchema.parse(JSON.parse(l));
      } catch (e) {
        throw new PolicyBotError('INPUT_INVALID', `line ${n}: ${(e as Error).message}`, { line: n }, { cause: e });
      }
    });
}

/** True when `doc` is the question's document: its 文号, or its title when it has no 文号. */
export function isQuestionDoc(q: EvalQuestion, doc: Pick<PolicyDocument, 'docNumber' | 'title'>): boolean {
  return doc.docNumber === q.doc || (doc.docNumber === '' && doc.title === q.doc);
}

/**
 * The hit rule: the clause is in the question's document and its text (or, for a question
 * about a section, its headings) holds `expect`; a lookup needs only the document.
 */
export function answersQuestion(q: EvalQuestion, clause: Pick<Clause, 'text' | 'headings'>, doc: Pick<PolicyDocument, 'docNumber' | 'title'>): boolean {
  if (!isQuestionDoc(q, doc)) return false;
  return q.kind === 'lookup' || normalizeKey(clause.text + clause.headings.join('')).includes(normalizeKey(q.expect ?? ''));
}

/**
 * The hit rule for a quoted hit: its clause answers (as `answersQuestion`), or what the user reads
 * — the passage, with the list context it quotes — holds `expect` (a lead-in whose quoted items hold it).
 */
export function hitAnswers(q: EvalQuestion, h: Pick<SearchResponse['hits'][number], 'clause' | 'unit' | 'doc' | 'passage'>): boolean {
  // a clause reference answers with its whole unit
  if ((h.unit ?? [h.clause]).some((c) => answersQuestion(q, c, h.doc))) return true;
  return isQuestionDoc(q, h.doc) && normalizeKey(h.passage).includes(normalizeKey(q.expect ?? ''));
}

/** Rank (1-based) of the first hit that answers `q`, or 0 for none; for oos, 1 when abstained. */
export function hitRank(q: EvalQuestion, r: SearchResponse): number {
  if (q.kind === 'oos') return r.answered ? 0 : 1;
  if (!r.answered) return 0;
  if (q.kind === 'lookup') return r.hits[0] && isQuestionDoc(q, r.hits[0].doc) ? 1 : 0;
  return r.hits.findIndex((h) => hitAnswers(q, h)) + 1;
}

/** Per-kind figures of an evaluation run. */
export interface EvalRow {
  kind: string;
  n: number;
  top1: number;
  top3: number;
  mrr: number;
}

/** Aggregates ranks per kind plus an "all" row. */
export function summarize(rows: Array<{ kind: string; rank: number }>): EvalRow[] {
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  const agg = (sel: typeof rows, kind: string): EvalRow => ({
    kind,
    n: sel.length,
    top1: sel.filter((r) => r.rank === 1).length / (sel.length || 1),
    top3: sel.filter((r) => r.rank >= 1 && r.rank <= 3).length / (sel.length || 1),
    mrr: sel.reduce((s, r) => s + (r.rank > 0 ? 1 / r.rank : 0), 0) / (sel.length || 1),
  });
  return [
    ...kinds.map((k) =>
      agg(
        rows.filter((r) => r.kind === k),
        k,
      ),
    ),
    agg(rows, 'all'),
  ];
}
