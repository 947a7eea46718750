import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeFeatures, FEATURES, isContentless, type FeatureName } from '../../src/search/features.ts';
import { buildIndex, type SearchIndex } from '../../src/search/inverted-index.ts';
import { analyzeQuery, queryTerms } from '../../src/search/query.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { textTools } from './fixtures.ts';

// A small corpus written for these tests: each feature is checked on the case it exists for.
const DOC_A = `# 北京市高龄津贴发放办法

京民老龄发〔2099〕1号

第一章 总则

第一条 为保障高龄老年人基本生活，制定本办法。

第二章 发放标准

第二条 年满90周岁的本市户籍老年人，津贴标准为每人每月500元。

第三条 申请人应当提交身份证、户口簿和一张近期照片，由街道办事处受理。

第四条 高龄津贴每季度审核一次，资金按时拨付。（区民政局负责）

第五条 每年3月31日前完成年度复核。

附件：1.北京市老年人高龄津贴发放情况汇总表(略)
`;
const DOC_B = `# 北京市宽带网络建设方案

京经信发〔2099〕2号

一、发展目标

到2099年，城市家庭宽带接入能力达到100Mbps。

二、主要任务

（一）网络建设

加快光纤到户改造，提升宽带网络覆盖水平。
`;

const DOC_C = `# 北京市残疾人辅具补贴办法

京残发〔2099〕3号

第一条 申请辅具补贴应当提交下列材料：

（一）残疾人证复印件；

（二）户口簿复印件。
`;

let index: SearchIndex | undefined;
const idx = (): SearchIndex =>
  (index ??= buildIndex({ files: [DOC_A, DOC_B, DOC_C].map((t, i) => ({ ...parseBulletin(t, `t${i}.md`), file: `t${i}.md`, hash: `h${i}` })) }, textTools()));

/** The value of one feature for the clause holding `needle`, asked `question`. */
function feature(name: FeatureName, question: string, needle: string): number {
  const ix = idx();
  const id = ix.clauses.findIndex((c) => c.clause.text.includes(needle));
  if (id < 0) throw new Error(`no clause holds ${needle}`);
  const q = analyzeQuery(question, ix);
  const [f] = computeFeatures(ix, q, [{ id, bm25: 1 }], queryTerms(q));
  return f![FEATURES.indexOf(name)]!;
}

/** Feature values of two clauses for one question, computed as one candidate list. */
function pair(name: FeatureName, question: string, a: string, b: string, bm25: [number, number] = [1, 1]): [number, number] {
  const ix = idx();
  const ids = [a, b].map((n) => ix.clauses.findIndex((c) => c.clause.text.includes(n)));
  const q = analyzeQuery(question, ix);
  const fs = computeFeatures(
    ix,
    q,
    ids.map((id, i) => ({ id, bm25: bm25[i]! })),
    queryTerms(q),
  );
  const k = FEATURES.indexOf(name);
  return [fs[0]![k]!, fs[1]![k]!];
}

describe('ranking features, one case each', () => {
  it('has a test below for every feature', () => {
    const own = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    expect(FEATURES.filter((f) => !new RegExp(`it\\(['"]${f}:`).test(own))).toEqual([]);
  });
  it("bm25: relative to the best candidate, so a question's scores are comparable", () => {
    expect(pair('bm25', '高龄津贴标准', '每人每月500元', '年度复核', [4, 2])).toEqual([1, 0.5]);
  });
  it('bm25Share: an absolute BM25 level, so a weak best candidate looks weak', () => {
    const [full] = pair('bm25Share', '高龄津贴', '每人每月500元', '年度复核', [10, 1]);
    const [weak] = pair('bm25Share', '高龄津贴', '每人每月500元', '年度复核', [0.1, 0.01]);
    expect(full).toBeGreaterThan(weak);
  });
  it("coverage: a clause holding more of the question's topic words", () => {
    expect(feature('coverage', '津贴标准每月多少', '每人每月500元')).toBeGreaterThan(feature('coverage', '津贴标准每月多少', '年度复核'));
  });
  it('topicCoverage: everyday words (我爸, 今年) weigh less than topic words (津贴)', () => {
    // 晚上 is not in the corpus at all; by corpus idf it would weigh the most
    const q = '晚上津贴标准';
    expect(feature('topicCoverage', q, '每人每月500元')).toBeGreaterThan(feature('coverage', q, '每人每月500元'));
  });
  it('topicMissing: a topic word the clause lacks (宽带 in a pension clause) counts against it', () => {
    expect(feature('topicMissing', '宽带津贴', '每人每月500元')).toBeGreaterThan(feature('topicMissing', '津贴标准', '每人每月500元'));
  });
  it('corpusMissing: a topic the whole corpus lacks (比特币) marks a question about something else', () => {
    expect(feature('corpusMissing', '比特币能买吗', '每人每月500元')).toBeGreaterThan(0.5);
    expect(feature('corpusMissing', '高龄津贴能领吗', '每人每月500元')).toBe(0);
    // a one-character word the corpus uses inside its words (审 in 审核, 岁 in 周岁) is not missing from it,
    // though the index holds it only as bigrams; an age is no topic either
    expect(feature('corpusMissing', '92岁津贴怎么审', '每人每月500元')).toBe(0);
  });
  it('words: whole words of the question found in the clause, rare words counting more', () => {
    expect(feature('words', '高龄津贴复核', '年度复核')).toBeGreaterThan(feature('words', '高龄津贴复核', '宽带网络覆盖'));
  });
  it('bigrams: character pairs survive segmentation differences (津贴标 / 津贴标准)', () => {
    expect(feature('bigrams', '津贴标准为', '每人每月500元')).toBeGreaterThan(feature('bigrams', '津贴标准为', '年度复核'));
  });
  it('characters: a character shared with the rule counts where no whole word matches (照片张数 / 一张近期照片)', () => {
    // 哪张 shares 张 with 一张; no word or bigram of the question is in either clause but 照片
    expect(feature('characters', '要交哪张照片', '一张近期照片')).toBeGreaterThan(feature('characters', '要交哪张照片', '年度复核'));
    expect(feature('characters', '季审', '每季度审核')).toBeGreaterThan(0);
  });
  it('sentence: the words together in one sentence beat words scattered over a clause', () => {
    expect(feature('sentence', '津贴标准', '每人每月500元')).toBe(1);
  });
  it('proximity: words side by side beat the same words far apart', () => {
    expect(feature('proximity', '光纤到户改造', '光纤到户')).toBeGreaterThan(feature('proximity', '光纤覆盖改造', '光纤到户'));
  });
  it('synonyms: a colloquial word reaches the document word (一个月 → 每月)', () => {
    expect(feature('synonyms', '一个月给多少', '每人每月500元')).toBeGreaterThan(0);
  });
  it('documentCoverage: a clause of the document the question is about, even if the clause omits the topic', () => {
    expect(feature('documentCoverage', '高龄津贴每年什么时候复核', '年度复核')).toBeGreaterThan(
      feature('documentCoverage', '高龄津贴每年什么时候复核', '光纤到户'),
    );
  });
  it('title: topic words found in the document title', () => {
    expect(feature('title', '宽带网络建设', '光纤到户')).toBeGreaterThan(0);
  });
  it("heading: topic words found in the clause's own heading", () => {
    expect(feature('heading', '网络建设', '光纤到户')).toBeGreaterThan(0);
  });
  it("namedSection: the question names the clause's section (…的网络建设 → （一）网络建设)", () => {
    expect(feature('namedSection', '宽带方案的网络建设讲什么', '光纤到户')).toBe(1);
    expect(feature('namedSection', '宽带方案的网络建设讲什么', '100Mbps')).toBe(0);
  });
  it('department: the question names the department responsible for the clause', () => {
    expect(feature('department', '区民政局管什么', '每季度审核')).toBeGreaterThan(0);
    expect(feature('department', '区民政局管什么', '年度复核')).toBe(0);
  });
  it('answerKind: 什么时候 prefers a clause holding a date', () => {
    expect(feature('answerKind', '什么时候复核', '3月31日前')).toBe(1);
    expect(feature('answerKind', '什么时候复核', '身份证、户口簿')).toBe(0);
  });
  it('whoDepartment: 谁 prefers a clause naming responsible departments', () => {
    expect(feature('whoDepartment', '谁来审核津贴', '每季度审核')).toBe(1);
    expect(feature('whoDepartment', '谁来审核津贴', '年度复核')).toBe(0);
  });
  it('amount: 多少钱 prefers a clause stating money', () => {
    expect(feature('amount', '津贴一个月多少钱', '每人每月500元')).toBe(1);
    expect(feature('amount', '津贴一个月多少钱', '年度复核')).toBe(0);
  });
  it('numbers: a number in the question (90) found in the clause', () => {
    expect(feature('numbers', '满90岁有津贴吗', '年满90周岁')).toBe(1);
    expect(feature('numbers', '满90岁有津贴吗', '年度复核')).toBe(0);
  });
  it('contentless: a (略) form, an attachment title or a bare heading is not an answer', () => {
    expect(feature('contentless', '高龄津贴汇总表', '汇总表(略)')).toBe(1);
    expect(feature('contentless', '高龄津贴', '每人每月500元')).toBe(0);
    expect(isContentless('附件：1.北京市老年人高龄津贴发放情况汇总表(略)')).toBe(true);
    expect(isContentless('6.北京市老年人高龄津贴发放情况汇总表')).toBe(true);
  });
  it('length: very short clauses rarely answer', () => {
    expect(feature('length', '津贴', '每人每月500元')).toBeGreaterThan(feature('length', '津贴', '汇总表(略)') - 1);
    expect(feature('length', '津贴', '每人每月500元')).toBeLessThanOrEqual(1);
  });
  it('firstParagraph: the first paragraph of a section is where its rule starts', () => {
    expect(feature('firstParagraph', '津贴', '每人每月500元')).toBe(1);
  });
  it("placeMatch: the question names the place the clause's document governs", () => {
    expect(feature('placeMatch', '北京高龄津贴多少钱', '每人每月500元')).toBe(1);
    expect(feature('placeMatch', '高龄津贴多少钱', '每人每月500元')).toBe(0);
  });
  it('placeConflict: the question names another place (or asks for the national rule)', () => {
    expect(feature('placeConflict', '重庆高龄津贴多少钱', '每人每月500元')).toBe(1);
    expect(feature('placeConflict', '按国家规定高龄津贴多少钱', '每人每月500元')).toBe(1);
    expect(feature('placeConflict', '北京高龄津贴多少钱', '每人每月500元')).toBe(0);
  });
  it("corpusAffinity: a question in the corpus's words (津贴) scores above one in another domain's (驾照)", () => {
    expect(feature('corpusAffinity', '高龄津贴', '每人每月500元')).toBeGreaterThan(feature('corpusAffinity', '驾照换证', '每人每月500元'));
  });
  it('leastAffinity: the most foreign topic word decides (高龄津贴 vs 高龄驾照)', () => {
    expect(feature('leastAffinity', '高龄津贴', '每人每月500元')).toBeGreaterThan(feature('leastAffinity', '高龄驾照', '每人每月500元'));
    // a one-character word the corpus has (审 in 审核) is not the most foreign word of every question
    expect(feature('leastAffinity', '高龄津贴审', '每人每月500元')).toBeGreaterThan(-1);
  });
  it('leadIn: a list item counts the question words of the paragraph it stands under', () => {
    expect(feature('leadIn', '申请辅具补贴要什么材料', '户口簿复印件')).toBeGreaterThan(0);
    expect(feature('leadIn', '申请辅具补贴要什么材料', '申请辅具补贴应当提交')).toBe(0);
  });
});
