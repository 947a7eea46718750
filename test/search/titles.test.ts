import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer/answer.ts';
import { splitClauseRef } from '../../src/cli/commands-corpus.ts';
import { parseFileBytes } from '../../src/corpus/repository.ts';
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
