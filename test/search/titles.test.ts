import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer/answer.ts';
import { splitClauseRef } from '../../src/cli/commands-corpus.ts';
import { parseFileBytes } from '../../src/corpus/repository.ts';
import { findDocument } from '../../src/search/documents.ts';
import { buildIndex } from '../../src/search/inverted-index.ts';
import { FIXTURES } from '../helpers.ts';
import { textTools } from './fixtures.ts';

// real regulations from regs-scale whose lookups by title once failed
const DIR = join(FIXTURES, 'regs-lookup');
const files = readdirSync(DIR).map((n) => parseFileBytes(readFileSync(join(DIR, n)), n));
const index = buildIndex({ files }, textTools());

/** What `show <title> <clause>` prints last: the citation of the unit, and the start of its text. */
const cite = (q: string): string => {
  const r = answerQuestion(index, q, { limit: 50 });
  if (r.basis !== 'clause-ref') return `(${r.basis})`;
  return `${r.hits[0]!.citation.label} ${r.hits[0]!.unit![0]!.text.slice(0, 12)}`;
};

describe('a full title and 第X条 cite that article of that document', () => {
  it('reads articles numbered 一千 and above (民法典)', () => {
    expect(cite('中华人民共和国民法典 婚姻家庭编 第一千零四十二条')).toBe(
      '《中华人民共和国民法典 婚姻家庭编》第一千零四十二条 (2020年通过) 第一千零四十二条禁止包办',
    );
    expect(cite('中华人民共和国民法典 附则 第一千二百六十条')).toBe('《中华人民共和国民法典 附则》第一千二百六十条 (2020年通过) 第一千二百六十条本法自2');
  });
});

describe('a whole title typed as written, whatever the question reader makes of its words', () => {
  it('keeps words it would drop as question words or punctuation (和, 的, 、, （1988年）)', () => {
    expect(cite('上海市保护电力设施和维护用电秩序规定 第十二条')).toBe('《上海市保护电力设施和维护用电秩序规定》第十二条 第十二条在依法划定的电力');
    expect(cite('关于不满300总吨船舶及沿海运输、沿海作业船舶海事赔偿限额的规定 第一条')).toBe(
      '《关于不满300总吨船舶及沿海运输、沿海作业船舶海事赔偿限额的规定》第一条 (1993年发布) 第一条根据《中华人民共和',
    );
    expect(cite('中华人民共和国宪法修正案（1988年） 第二条')).toMatch(/^《中华人民共和国宪法修正案（1988年）》第二条 \(1988年公布\) 第二条宪法第十条第四/);
  });

  it('is not "repaired" as a typo (诈骗法 is no 诈骗犯)', () => {
    expect(cite('中华人民共和国反电信网络诈骗法 第二十六条')).toBe('《中华人民共和国反电信网络诈骗法》第二十六条 (2022年通过) 第二十六条公安机关办理电');
  });

  it('is one book of 民法典, not the first title that shares its start', () => {
    expect(cite('中华人民共和国民法典 附则 第一千二百五十九条')).toMatch(/^《中华人民共和国民法典 附则》第一千二百五十九条/);
    expect(cite('中华人民共和国民法典婚姻家庭编第一千零四十条')).toMatch(/^《中华人民共和国民法典 婚姻家庭编》第一千零四十条/);
    // "…民法典 继承编" once read as "中华人民共和国民法" (cut after its last 法): the first book of 民法典
    expect(cite('中华人民共和国民法典 继承编 第一千一百四十一条')).toMatch(/^《中华人民共和国民法典 继承编》第一千一百四十一条/);
  });

  it('is the longest title typed: a 规定 whose title quotes another law’s title in 《》 is itself', () => {
    expect(cite('国务院实施《中华人民共和国民族区域自治法》若干规定 第一条')).toBe(
      '《国务院实施《中华人民共和国民族区域自治法》若干规定》第一条 (2005年公布) 第一条为了帮助民族自治地',
    );
    expect(cite('中华人民共和国民族区域自治法 第一条')).toMatch(/^《中华人民共和国民族区域自治法》第一条 \(2001年修正\) 第一条中华人民共和国民/);
    // a clause the typed title does not hold is not looked for in the law it quotes
    expect(cite('国务院实施《中华人民共和国民族区域自治法》若干规定 第七十条')).toBe('(clause-not-found)');
  });
});

describe('a short name and 第X条', () => {
  it('keeps what the question reader drops or repairs (规定 as a question word, 诈骗法 as a typo)', () => {
    expect(cite('上海电力设施规定第十二条')).toMatch(/^《上海市保护电力设施和维护用电秩序规定》第十二条 /);
    expect(cite('反电信网络诈骗法第二十六条')).toMatch(/^《中华人民共和国反电信网络诈骗法》第二十六条 /);
  });

  it('names a book of 民法典 (a name may end in 编), and a law rather than a title quoting it', () => {
    expect(cite('民法典继承编第一千一百四十一条')).toMatch(/^《中华人民共和国民法典 继承编》第一千一百四十一条 /);
    expect(cite('民族区域自治法第一条')).toMatch(/^《中华人民共和国民族区域自治法》第一条 /);
    expect(findDocument(index, '民族区域自治法')?.doc.title).toBe('中华人民共和国民族区域自治法');
  });
});

describe('an article under a chapter title printed without 第X章 ("消防职责")', () => {
  it('is cited alone, not with every article after the title', () => {
    expect(cite('河南省消防条例 第三十八条')).toBe('《河南省消防条例》第三十八条 (2014年修正) 第三十八条中小学校、幼儿');
    const r = answerQuestion(index, '河南省消防条例 第九条', { limit: 50 });
    expect(r.hits[0]!.unit!.map((c) => c.label)).toEqual(['第九条', ...['一', '二', '三', '四', '五', '六', '七'].map((n) => `第九条（${n}）`)]);
  });
});

describe('show <title>第X条 typed as one word', () => {
  it('splits off a reference numbered 一千 and above', () => {
    expect(splitClauseRef(['中华人民共和国民法典婚姻家庭编第一千零四十二条第二款'])).toEqual(['中华人民共和国民法典婚姻家庭编', '第一千零四十二条第二款']);
  });
});
