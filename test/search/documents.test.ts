import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFileBytes } from '../../src/corpus/repository.ts';
import { findDocument } from '../../src/search/documents.ts';
import { buildIndex } from '../../src/search/index.ts';
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
