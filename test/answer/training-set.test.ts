import { describe, expect, it } from 'vitest';
import { isQuestionDoc } from '../../src/answer/eval.ts';
import { loadTrainingSet } from '../../src/answer/training-set.ts';
import { buildIndex } from '../../src/search/inverted-index.ts';
import { normalizeKey } from '../../src/text/normalize.ts';
import { ROOT } from '../helpers.ts';
import { textTools } from '../search/fixtures.ts';

/**
 * The training questions are checked as the shared sample is: a question a model is fitted and
 * judged on must name a document of the training corpus and an `expect` that picks out one clause
 * of it (verbatim, 6–20 characters, in exactly one clause), or the figures mean nothing.
 */
describe('the training questions (test/fixtures/questions)', async () => {
  const set = await loadTrainingSet(ROOT);
  const index = buildIndex(set.corpus, textTools());
  const kinds = new Set(['resident', 'staff', 'abbrev', 'typo', 'traditional', 'clause', 'lookup', 'oos']);

  it('use the sample kinds and unique ids', () => {
    expect(set.questions.filter((q) => !kinds.has(q.kind)).map((q) => `${q.source}: ${q.id} ${q.kind}`)).toEqual([]);
    const ids = set.questions.map((q) => q.id ?? '');
    expect(ids.filter((id) => id === '')).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('name a training document, and out-of-scope questions none', () => {
    const named = (d: string | undefined): boolean => index.docs.some((x) => isQuestionDoc({ q: '', kind: '', doc: d }, x.doc));
    expect(set.questions.filter((q) => q.kind !== 'oos' && !named(q.doc)).map((q) => `${q.id} ${q.doc}`)).toEqual([]);
    expect(set.questions.filter((q) => q.kind === 'oos' && (q.doc || q.expect)).map((q) => q.id)).toEqual([]);
  });

  // the shared sample's copy and the round-1 questions on the shipped bulletin predate the rule:
  // some expects run past 20 characters, and some round-1 questions have several right clauses (a
  // figure stated in the prose and again in the indicator table, two bureaus each charged with
  // the same task) and a short expect that accepts any of them
  const ROUND_1 = ['extra.jsonl', 'sample.jsonl'];
  const isRound1 = (q: { source: string }): boolean => ROUND_1.some((f) => q.source.endsWith(f));
  const inScope = set.questions.filter((q) => q.kind !== 'oos' && q.kind !== 'lookup');
  const holders = (q: (typeof inScope)[number]): { inText: number; inHeading: number } => {
    const e = normalizeKey(q.expect ?? '');
    const own = index.clauses.filter((c) => isQuestionDoc(q, index.docs[c.doc]!.doc));
    return {
      inText: own.filter((c) => normalizeKey(c.clause.text).includes(e)).length,
      inHeading: new Set(own.flatMap((c) => c.clause.headings.filter((h) => normalizeKey(h).includes(e)))).size,
    };
  };

  it('round 1: every expect is in some clause of its document; few accept several clauses', () => {
    const old = inScope.filter(isRound1);
    expect(old.length).toBeGreaterThan(300);
    expect(old.filter((q) => holders(q).inText + holders(q).inHeading === 0).map((q) => q.id)).toEqual([]);
    expect(old.filter((q) => holders(q).inText > 1).length / old.length).toBeLessThan(0.1);
  });

  it('expect 6–20 characters found verbatim in exactly one clause of their document', () => {
    const bad: string[] = [];
    for (const q of inScope) {
      if (isRound1(q)) continue;
      const len = [...(q.expect ?? '')].length;
      if (len < 6 || len > 20) bad.push(`${q.id}: expect has ${len} characters`);
      // in the text of one clause; or, for a question about a section, in the heading of one
      const { inText, inHeading } = holders(q);
      if (inText > 1 || (inText === 0 && inHeading !== 1)) bad.push(`${q.id}: expect in ${inText} clauses and ${inHeading} headings of ${q.doc}: ${q.expect}`);
    }
    expect(bad).toEqual([]);
  });
});
