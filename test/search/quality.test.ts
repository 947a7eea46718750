import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hitRank, parseEvalFile } from '../../src/answer/eval.ts';
import { answerQuestion } from '../../src/answer/answer.ts';
import { FIXTURES } from '../helpers.ts';
import { seedIndex } from './fixtures.ts';

// Our own questions on the shipped bulletin (the model was fitted on them among others): a
// regression guard. The figures that predict unseen documents are the leave-one-document-out
// ones (npm run eval -- --by-document), reported in the README.
const questions = parseEvalFile(readFileSync(join(FIXTURES, 'questions', 'extra.jsonl'), 'utf8'));

describe('answer quality on our own questions', () => {
  const ranks = questions.map((q) => ({ q, rank: hitRank(q, answerQuestion(seedIndex(), q.q, { limit: 5 })) }));

  it('puts the right clause first for at least 92%, and in the top 3 for at least 96%', () => {
    const top1 = ranks.filter((r) => r.rank === 1).length / ranks.length;
    const top3 = ranks.filter((r) => r.rank >= 1 && r.rank <= 3).length / ranks.length;
    const misses = ranks.filter((r) => r.rank !== 1).map((r) => `${r.q.id} ${r.q.q}`);
    expect(top1, misses.join('\n')).toBeGreaterThanOrEqual(0.92);
    expect(top3).toBeGreaterThanOrEqual(0.96);
  });

  it('resolves every 文号 and clause reference exactly', () => {
    const refs = ranks.filter((r) => r.q.kind === 'clause' || r.q.kind === 'lookup');
    expect(refs.filter((r) => r.rank !== 1).map((r) => r.q.q)).toEqual([]);
  });

  it('declines most out-of-scope questions and almost no answerable one', () => {
    const oos = ranks.filter((r) => r.q.kind === 'oos');
    expect(oos.length).toBeGreaterThanOrEqual(10);
    expect(oos.filter((r) => r.rank === 1).length / oos.length).toBeGreaterThanOrEqual(0.6);
  });
});
