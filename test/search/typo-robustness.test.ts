import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { hitRank, parseEvalFile } from '../../src/answer/eval.ts';
import { answerQuestion } from '../../src/answer/answer.ts';
import { FIXTURES, seed } from '../helpers.ts';
import { seedIndex } from './fixtures.ts';

// Each answerable question of ours gets one character replaced by another character of the
// corpus with the same toneless pinyin (a typical pinyin-keyboard slip), chosen by a fixed
// pseudo-random sequence; the right clause must still come first for nine in ten.
describe('robustness to homophone typos', () => {
  it('keeps the right clause first for at least 90% of questions with one homophone slip', () => {
    const text = seed()
      .documents.flatMap((d) => d.clauses.map((c) => c.text))
      .join('');
    const byPinyin = new Map<string, string[]>();
    for (const ch of new Set(text)) {
      if (!/[\u4e00-\u9fff]/.test(ch)) continue;
      const p = pinyin(ch, { toneType: 'none' });
      byPinyin.set(p, [...(byPinyin.get(p) ?? []), ch]);
    }
    let state = 7;
    const rnd = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const questions = parseEvalFile(readFileSync(join(FIXTURES, 'questions', 'extra.jsonl'), 'utf8')).filter(
      (q) => q.kind === 'resident' || q.kind === 'staff',
    );
    let n = 0;
    let hits = 0;
    for (const q of questions) {
      const chars = [...q.q];
      const spots = chars.flatMap((c, i) =>
        /[\u4e00-\u9fff]/.test(c) && (byPinyin.get(pinyin(c, { toneType: 'none' }))?.length ?? 0) > 1 && !'的了吗是有什么怎么多少谁要能会'.includes(c)
          ? [i]
          : [],
      );
      if (spots.length === 0) continue;
      const i = spots[Math.floor(rnd() * spots.length)]!;
      const alternatives = byPinyin.get(pinyin(chars[i]!, { toneType: 'none' }))!.filter((x) => x !== chars[i]);
      chars[i] = alternatives[Math.floor(rnd() * alternatives.length)]!;
      n++;
      if (hitRank(q, answerQuestion(seedIndex(), chars.join(''), { limit: 5 })) === 1) hits++;
    }
    expect(n).toBeGreaterThan(100);
    expect(hits / n).toBeGreaterThanOrEqual(0.9);
  });
});

describe('robustness to Traditional characters', () => {
  it('answers the Taiwan and Hong Kong forms of our questions as it answers the Simplified ones', async () => {
    const OpenCC = await import('opencc-js');
    const forms = [OpenCC.Converter({ from: 'cn', to: 'tw' }), OpenCC.Converter({ from: 'cn', to: 'hk' })];
    const questions = parseEvalFile(readFileSync(join(FIXTURES, 'questions', 'extra.jsonl'), 'utf8')).filter((q) => q.kind !== 'oos');
    let n = 0;
    let same = 0;
    for (const q of questions) {
      if (hitRank(q, answerQuestion(seedIndex(), q.q, { limit: 5 })) !== 1) continue;
      for (const toTraditional of forms) {
        n++;
        if (hitRank(q, answerQuestion(seedIndex(), toTraditional(q.q), { limit: 5 })) === 1) same++;
      }
    }
    expect(n).toBeGreaterThan(300);
    expect(same / n).toBeGreaterThanOrEqual(0.98);
  });
});
