import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFileBytes } from '../../src/corpus/repository.ts';
import { findDocument } from '../../src/search/documents.ts';
import { searchClauses } from '../../src/search/rank.ts';
import { buildIndex } from '../../src/search/inverted-index.ts';
import { createTextTools } from '../../src/text/toolkit.ts';
import { FIXTURES, ROOT } from '../helpers.ts';

const QA = join(FIXTURES, 'regs-qa');
const files = readdirSync(QA).map((n) => parseFileBytes(readFileSync(join(QA, n)), n));
const index = buildIndex({ files }, createTextTools(join(ROOT, 'data/dictionaries')));
const title = (q: string): string | undefined => findDocument(index, q)?.doc.title;

describe('finding a regulation by the name a person types', () => {
  it('takes the exact title or a part of it', () => {
    expect(title('重庆市失业保险条例')).toBe('重庆市失业保险条例');
    expect(title('残疾人保障法')).toBe('中华人民共和国残疾人保障法');
  });

  it('takes a short name without place or structure words, preferring the closest title', () => {
    expect(title('北京物业条例')).toBe('北京市物业管理条例');
    expect(title('重庆失业保险条例')).toBe('重庆市失业保险条例');
    expect(title('河南法律援助条例')).toBe('河南省法律援助条例');
    expect(title('公积金条例')).toBe('住房公积金管理条例');
    expect(title('低保条例')).toBe('城市居民最低生活保障条例');
  });

  it('does not hand out another place’s regulation', () => {
    expect(title('山东法律援助条例')).toBeUndefined();
    expect(title('北京失业保险条例')).toBeUndefined();
  });
});

describe('a question about a whole document, named by its title', () => {
  const named = (q: string): string | undefined => {
    const r = searchClauses(index, q);
    return r.basis === 'document' ? index.docs[index.clauses[r.ranked[0]!.id]!.doc]!.doc.title : undefined;
  };

  it('answers with the document when the words name it, with a year, issuer or one added word', () => {
    expect(named('残疾人保障法讲了哪些内容')).toBe('中华人民共和国残疾人保障法');
    expect(named('2014年国务院的社会救助暂行办法')).toBe('社会救助暂行办法');
    expect(named('北京的物业管理地方条例')).toBe('北京市物业管理条例');
  });

  it('is a topic question when words follow the name', () => {
    expect(named('物业管理条例中业主委员会备案时限')).toBeUndefined();
  });
});

describe('clause references to regulations named without 文号', () => {
  const texts = (q: string): string => {
    const r = searchClauses(index, q, { limit: 50 });
    expect(r.basis).toBe('clause-ref');
    return r.ranked.map((c) => index.clauses[c.id]!.clause.text).join('\n');
  };

  it('reads an issuer, a short name and a trailing question as the document and the reference', () => {
    expect(texts('国务院法律援助条例第十一条第（二）项')).toContain('公诉案件中的被害人');
    expect(texts('城市低保条例第四条第三款说的什么')).toContain('可以承担城市居民最低生活保障的日常管理');
  });

  it('finds a 项 under a 款 by its number in the article', () => {
    expect(texts('北京物业管理条例第三十九条第三款第（五）项')).toBe('（五）未被列为失信被执行人；');
  });
});
