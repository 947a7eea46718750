import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { buildIndex } from '../../src/search/inverted-index.ts';
import { answerQuestion } from '../../src/answer/answer.ts';
import { normalizeKey } from '../../src/text/normalize.ts';
import { FIXTURES, seed } from '../helpers.ts';
import { textTools } from './fixtures.ts';

// Documents of other cities ingested beside the seed: the same reader and ranker must serve them.
const file = (name: string) => ({ ...parseBulletin(readFileSync(join(FIXTURES, name), 'utf8'), name), file: name, hash: name });
const index = buildIndex(
  {
    files: [
      { ...seed(), file: 'seed', hash: 'seed' },
      file('bulletin-other.md'),
      file('single-regulation.md'),
      file('mianyang-2013-14.md'),
      file('single-numeral-date.md'),
    ],
  },
  textTools(),
);
const top = (q: string) => answerQuestion(index, q, { limit: 3 });

describe('answers from documents of other cities and later issues', () => {
  // Documents never fitted on: a fitted model is judged by rates (the README's leave-one-document-out
  // figures), so each question must find its clause in the top 3, and all but one first.
  const CASES: Array<[string, string, string]> = [
    ['城区养狗要登记吗', '遂府办发〔2014〕12号', '办理养犬登记'],
    ['遛狗要拴绳吗', '遂府办发〔2014〕12号', '束犬链'],
    ['每个乡镇派几名农技人员', '遂府发〔2014〕3号', '不少于3名农技人员'],
    ['德阳公租房租金怎么定', '德府发〔2014〕7号', '市场租金的70%'],
    ['绵阳公租房租金怎么定', '绵府办发〔2013〕60号', '市场租金的60%'],
    ['在德阳申请公租房要什么条件', '德府发〔2014〕7号', '下列条件'],
    ['两居室公租房月租金多少', '德府发〔2014〕7号', '480元'],
    ['大病保险筹资标准每人多少钱', '绵府发〔2013〕21号', '每人每年30元'],
    ['城市内涝应急预案谁来制定', '泸府办发〔2014〕15号', '市住建局负责制定城市内涝应急预案'],
    ['泸府办发〔2014〕15号 第二部分第二条', '泸府办发〔2014〕15号', '完善应急预案'],
    ['江阳区大山坪易涝点什么时候整治完', '泸府办发〔2014〕15号', '2014年6月'],
  ];
  const rankOf = (q: string, doc: string, want: string): number =>
    top(q).hits.findIndex((h) => h.doc.docNumber === doc && normalizeKey(h.passage + h.citation.heading).includes(normalizeKey(want))) + 1;
  it.each(CASES)('%s → %s (in the top 3)', (q, doc, want) => {
    expect(rankOf(q, doc, want)).toBeGreaterThan(0);
  });
  it('puts the right clause first for all but one of them', () => {
    const missed = CASES.filter(([q, doc, want]) => rankOf(q, doc, want) !== 1).map(([q]) => q);
    expect(missed.length, missed.join(', ')).toBeLessThanOrEqual(1);
  });

  it('cites a single document without a bulletin, and a 期-numbered bulletin with its own unit', () => {
    expect(top('德府发〔2014〕7号 第四条').hits[0]!.citation.label).toBe('《德阳市城市公共租赁住房管理办法》（德府发〔2014〕7号）第四条');
    expect(top('遂府办发〔2014〕12号 第一条').hits[0]!.citation.label).toMatch(/· 遂宁市人民政府公报 2014年第2期（总第400期） · 第4页起$/);
  });
});
