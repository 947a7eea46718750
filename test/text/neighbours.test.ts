import { describe, expect, it } from 'vitest';
import { createBackgroundFrequencies, NUMBER_INFORMATIVENESS } from '../../src/text/background.ts';
import { buildNeighbours, neighbourLookup } from '../../src/text/neighbours.ts';
import { createTypoRepairer, typoVocabulary } from '../../src/text/typo.ts';

describe('words one character apart', () => {
  const words = ['新农合', '心农合', '新农村', '农合新', '联席会议', '联习会议', '签约', '签名', '约签', '新'];
  const look = neighbourLookup(buildNeighbours(words));
  const near = (w: string): string[] => look.near(w).map((i) => look.word(i));

  it('finds every word of the same length differing in exactly one position, in vocabulary order', () => {
    expect(near('新农合')).toEqual(['心农合', '新农村']);
    expect(near('信农合')).toEqual(['新农合', '心农合']);
    expect(near('联系会议')).toEqual(['联席会议', '联习会议']);
    expect(near('签到')).toEqual(['签约', '签名']);
  });

  it('finds nothing for words two characters apart, of another length or unknown', () => {
    expect(near('心农村')).toEqual(['心农合', '新农村']); // not 新农合: two apart
    expect(near('合农新')).toEqual([]);
    expect(near('新农合作')).toEqual([]);
    expect(near('比特币')).toEqual([]);
  });

  it('repairs through a stored vocabulary as through a word list', () => {
    const list = ['新农合', '联席会议', '签约', '保障性住房'];
    const fromList = createTypoRepairer(list);
    const fromStored = createTypoRepairer(typoVocabulary(list));
    const known = (b: string): boolean => ['新农', '农合', '联席', '席会', '会议', '签约'].includes(b);
    for (const run of ['心农合', '联习会议', '签月']) expect(fromStored.repair(run, known)).toEqual(fromList.repair(run, known));
    expect(fromStored.repair('心农合', known)).toEqual([{ from: '心农合', to: '新农合' }]);
  });
});

describe('background frequencies', () => {
  const dict = '我 5000 r\n妈 200 n\n比特币 3 n\n今年 800 t\n今年 200 t\n津贴 10 n\n坏行\n';
  const bg = createBackgroundFrequencies(() => dict);
  const bytes = createBackgroundFrequencies(() => Buffer.from(dict, 'utf8'));

  it('scores rare words high and common words low, summing a word listed twice', () => {
    expect(bg.informativeness('比特币')).toBeGreaterThan(bg.informativeness('今年'));
    expect(bg.informativeness('今年')).toBeLessThan(bg.informativeness('津贴'));
    // 今年 800 + 200 = 1000 of a total 6213
    expect(bg.informativeness('今年')).toBeCloseTo(Math.log(6213 / 1001) / Math.log(6213), 12);
  });

  it('scores an unknown compound by its rarest character, an unknown character as the rarest', () => {
    expect(bg.informativeness('我妈')).toBe(bg.informativeness('妈'));
    expect(bg.informativeness('龘')).toBe(1);
  });

  it('scores a number (an age, a year, an amount) or a lone letter as an everyday word, not as the rarest', () => {
    for (const n of ['92', '2020', '1.5', '30%', 'b', 'A']) expect(bg.informativeness(n)).toBe(NUMBER_INFORMATIVENESS);
    expect(NUMBER_INFORMATIVENESS).toBeLessThan(bg.informativeness('津贴'));
    expect(bg.informativeness('5g')).toBe(1);
  });

  it('reads the same from text and from UTF-8 bytes', () => {
    for (const w of ['我', '比特币', '今年', '我妈', '坏行', '']) expect(bytes.informativeness(w)).toBe(bg.informativeness(w));
  });
});
