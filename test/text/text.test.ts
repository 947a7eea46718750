import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDocNumbers, formatDocNumber, parseDocNumberLine } from '../../src/text/docnumber.ts';
import { normalizeKey, squeezeCjkSpaces, stripInlineMarkup } from '../../src/text/normalize.ts';
import { parseChineseNumber, toChineseNumber } from '../../src/text/numerals.ts';
import { parseQuestionWords, detectAnswerKind, hasAnswerKind } from '../../src/text/question-words.ts';
import { findSynonymTerms, parseSynonyms } from '../../src/text/synonyms.ts';
import { createToSimplified } from '../../src/text/traditional.ts';
import { createTypoRepairer, fuzzySyllable } from '../../src/text/typo.ts';
import { ROOT } from '../helpers.ts';

describe('normalisation', () => {
  it('folds width, case and spaces', () => {
    expect(normalizeKey('ＡＢＣ １２３ 国发〔2013〕30 号')).toBe('abc123国发〔2013〕30号');
    expect(squeezeCjkSpaces('关于印发 2013 年 主要工作')).toBe('关于印发2013年主要工作');
    expect(squeezeCjkSpaces('IP 地址 and LTE 用户 15% 以上')).toBe('IP 地址 and LTE 用户15%以上');
    expect(stripInlineMarkup('**四、积极** PM<sub>2.5</sub>')).toBe('四、积极 PM2.5');
  });
});

describe('numerals', () => {
  it.each([
    ['十四', 14],
    ['二十', 20],
    ['二十二', 22],
    ['一百零五', 105],
    ['一千零四十二', 1042],
    ['一千零一十', 1010],
    ['一千二百六十', 1260],
    ['三', 3],
    ['12', 12],
  ])('%s = %d', (s, n) => {
    expect(parseChineseNumber(s)).toBe(n);
    expect(parseChineseNumber(toChineseNumber(n))).toBe(n);
  });
  it('rejects non-numbers', () => expect(parseChineseNumber('总则')).toBeUndefined());
  // "第九九九九条" used to read as 第九条's item （九）: digits in a row are positional, never the last digit alone
  it.each([
    ['九九九九', 9999],
    ['二〇二〇', 2020],
    ['一九', 19],
  ])('reads digit-by-digit %s = %d', (s, n) => {
    expect(parseChineseNumber(s)).toBe(n);
  });
  it('rejects digits run together inside a unit numeral', () => expect(parseChineseNumber('一百九九')).toBeUndefined());
});

describe('文号', () => {
  it('parses standalone lines in every bracket style', () => {
    for (const s of ['川办发〔2013〕52 号', '川办发[2013]52号', '川办发（2013）52号', '川办发［2013］第52号']) {
      expect(formatDocNumber(parseDocNumberLine(s)!)).toBe('川办发〔2013〕52号');
    }
    expect(parseDocNumberLine('根据川办发〔2013〕52号文件')).toBeUndefined();
  });
  it('finds mentions in questions, trimming to known issuer codes', () => {
    const f = findDocNumbers('查一下国发2013年31号文和川办发52号', ['国发', '川办发']);
    expect(f.map(formatDocNumber)).toEqual(['国发〔2013〕31号', '川办发52号']);
  });
});

describe('dictionaries', () => {
  it('the shipped synonyms file parses and maps colloquial words', () => {
    const t = parseSynonyms(readFileSync(join(ROOT, 'data/dictionaries/synonyms.txt'), 'utf8'));
    expect(t.get('保障房')).toContain('保障性住房');
    expect(t.get('低保')).toContain('最低生活保障');
    expect(findSynonymTerms('异地报销怎么办', t).map((x) => x.term)).toEqual(['异地报销']);
  });
  it('a one-character term counts only as a word of its own, so it never cuts a word in two', () => {
    const t = parseSynonyms('办: 办理, 申请\n领: 领取\n');
    // 办 inside 办理 would leave 理 as a topic word of its own
    expect(findSynonymTerms('办理护照', t, ['办理', '护照'])).toEqual([]);
    expect(findSynonymTerms('去哪办', t, ['去', '哪', '办']).map((x) => x.term)).toEqual(['办']);
    expect(findSynonymTerms('能领多少', t, ['领', '多少']).map((x) => x.term)).toEqual(['领']);
    // without the words (callers that have none) every occurrence counts, as before
    expect(findSynonymTerms('办理护照', t).map((x) => x.term)).toEqual(['办']);
  });
  it('rejects a malformed synonyms line with its number', () => {
    expect(() => parseSynonyms('医保: 医疗保险\n坏行没有冒号\n')).toThrow(/:2:/);
  });
  it('question words and answer kinds', () => {
    const w = parseQuestionWords(readFileSync(join(ROOT, 'data/dictionaries/question-words.txt'), 'utf8'));
    expect(w.has('吗') && w.has('怎么办')).toBe(true);
    expect(w.has('医保')).toBe(false);
    expect(detectAnswerKind('联席会议多久开一次会')).toBe('frequency');
    // a deadline is a date, not a frequency; an age and an office are kinds of their own
    expect(detectAnswerKind('刚生的娃多久之内得去办参保')).toBe('date');
    expect(detectAnswerKind('女的要到多大岁数才能领')).toBe('age');
    expect(detectAnswerKind('发现造假去哪举报')).toBe('office');
    expect(hasAnswerKind('女方年满49周岁', 'age')).toBe(true);
    expect(hasAnswerKind('可以向区民政局举报', 'office')).toBe(true);
    expect(hasAnswerKind('每人每月500元', 'office')).toBe(false);
    expect(detectAnswerKind('补助标准是多少钱')).toBe('amount');
    expect(detectAnswerKind('归哪个部门管')).toBe('department');
    expect(detectAnswerKind('什么时候开始')).toBe('date');
    // what befalls a rule-breaker is the penalty article, not any clause stating an amount
    expect(detectAnswerKind('骗低保被查出来要罚多少')).toBe('penalty');
    expect(detectAnswerKind('不去报到会怎样')).toBe('penalty');
    expect(hasAnswerKind('处冒领金额1倍以上3倍以下的罚款', 'penalty')).toBe(true);
    expect(hasAnswerKind('由区民政局追回已发放的补贴', 'penalty')).toBe(true);
    expect(hasAnswerKind('每人每月500元', 'penalty')).toBe(false);
    // whether something counts, or what a term means: the clause that defines or delimits it
    expect(detectAnswerKind('抚恤金算不算家庭收入')).toBe('definition');
    expect(detectAnswerKind('残联是干什么的')).toBe('definition');
    expect(hasAnswerKind('特别扶助金不计入家庭收入', 'definition')).toBe(true);
    expect(hasAnswerKind('本办法所称孤儿，是指失去父母的未成年人', 'definition')).toBe(true);
    expect(hasAnswerKind('每人每月500元', 'definition')).toBe(false);
  });
});

describe('Traditional → Simplified', () => {
  it('converts Taiwan and Hong Kong forms, leaves Simplified alone', () => {
    const t = createToSimplified();
    expect(t('申請保障房要查工商登記信息嗎')).toBe('申请保障房要查工商登记信息吗');
    expect(t('新农合')).toBe('新农合');
  });
});

describe('typo repair', () => {
  const r = createTypoRepairer(['新农合', '联席会议', '签约', '保障性住房']);
  const known = (b: string) => ['新农', '农合', '联席', '席会', '会议', '签约'].includes(b);
  it('replaces a homophone run the corpus never contains', () => {
    expect(r.repair('心农合补助', known)).toEqual([{ from: '心农合', to: '新农合' }]);
    expect(r.repair('联习会议', known)).toEqual([{ from: '联习会议', to: '联席会议' }]);
  });
  it('leaves known words and word junctions alone', () => {
    expect(r.repair('新农合', known)).toEqual([]);
    expect(
      r.repair(
        '建设提供',
        () => false,
        () => false,
        ['建设', '提供'],
      ),
    ).toEqual([]);
  });
  it('folds the usual pinyin confusions', () => {
    expect(fuzzySyllable('zhang')).toBe('zan');
    expect(fuzzySyllable('xing')).toBe('xin');
  });
});
