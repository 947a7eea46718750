import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentOutline } from '../../src/answer/outline.ts';
import { parseFileBytes } from '../../src/corpus/repository.ts';
import type { PolicyDocument } from '../../src/corpus/types.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { FIXTURES } from '../helpers.ts';

const doc = (dir: string, name: string): PolicyDocument => parseFileBytes(readFileSync(join(FIXTURES, dir, name)), name).documents[0]!;
const outline = (d: PolicyDocument, depth = 9): string[] =>
  documentOutline(d)
    .filter((e) => e.depth <= depth)
    .map((e) => `${'  '.repeat(e.depth)}${e.heading}`);

describe('a regulation without 文号 (title, dated history, 章/条/款/项)', () => {
  const d = doc('regs-qa', 'local-chongqing-0038.md');

  it('is known by its title and its latest dated step', () => {
    expect(d.docNumber).toBe('');
    expect(d.title).toBe('重庆市失业保险条例');
    expect(d.version).toEqual({ date: '2011-11-25', action: '修正' });
    expect(d.docKey).toBe('重庆市失业保险条例@2011-11-25');
    expect(d.history).toHaveLength(3);
    expect(d.clauses[0]!.id).toBe('重庆市失业保险条例@2011-11-25:0:第一条:1');
  });

  it('numbers 条 through the document, 项 under their 条, and a later paragraph as the next 款', () => {
    const labels = d.clauses.slice(0, 12).map((c) => `${c.label}#${c.paragraph}`);
    expect(labels).toEqual([
      '第一条#1',
      '第二条#1',
      '第二条（一）#1',
      '第二条（二）#1',
      '第二条（三）#1',
      '第二条（四）#1',
      '第二条（五）#1',
      '第二条（六）#1',
      '第二条（七）#1',
      '第三条#1',
      '第四条#1',
      '第四条#2',
    ]);
    expect(outline(d)).toEqual(['第一章 总则', '第二章 失业保险基金征缴与管理', '第三章 失业保险待遇', '第四章 法律责任', '第五章 附则']);
  });

  it('a 施行 line is history, not a version', () => {
    const r = doc('regs-qa', 'admin-reg-0255.md');
    expect(r.docKey).toBe('城市居民最低生活保障条例@1999-09-28');
    expect(r.history).toEqual(['1999年9月28日 国务院第21次常务会议通过', '1999年9月28日 中华人民共和国国务院令第271号发布', '1999年10月1日 施行']);
  });
});

describe('structure of laws', () => {
  it('reads 第X编 and headings with spaces inside ("第一章 总 则", tabs, ideographic spaces)', () => {
    const p = parseBulletin('# 某某法\n\n第一编 总则\n\n第一章　总 则\n\n第一条 为了规范某事，制定本法。\n\n第二章\t附则\n\n第二条 本法自公布之日起施行。\n');
    expect(outline(p.documents[0]!)).toEqual(['第一编 总则', '  第一章 总则', '  第二章 附则']);
    expect(p.documents[0]!.clauses.map((c) => c.label)).toEqual(['第一条', '第二条']);
  });

  it('splits one paragraph holding many articles, never at a reference inside a sentence', () => {
    const md = '# 某某残疾人办法\n\n京残发〔2007〕62号\n\n第一条 为了保障残疾人权益，制定本办法。第二条 本办法适用于本市。第三条 符合本办法第二条规定的，可以申请。第二章 附则第四条 本办法自印发之日起施行。\n';
    const d = parseBulletin(md).documents[0]!;
    expect(d.clauses.map((c) => c.text)).toEqual([
      '第一条为了保障残疾人权益，制定本办法。',
      '第二条本办法适用于本市。',
      '第三条符合本办法第二条规定的，可以申请。',
      '第四条本办法自印发之日起施行。',
    ]);
    expect(d.clauses[3]!.headings).toEqual(['第二章 附则']);
  });

  it('keeps a heading on its own line apart from the text below it', () => {
    const md = '# 关于某事的通知\n\n京民福发〔2011〕1号\n\n二、基本生活费标准\n\n社会福利机构集中养育孤儿基本生活费标准为每人每月1600元\n';
    const d = parseBulletin(md).documents[0]!;
    expect(d.clauses.map((c) => [c.label, c.text])).toEqual([['二、', '社会福利机构集中养育孤儿基本生活费标准为每人每月1600元']]);
  });
});

describe('outlines of the dev documents (checked by eye with `show <文号>`)', () => {
  it('京民社救发〔2017〕24号: twelve chapters', () => {
    expect(outline(doc('dev', 'bj_2017_special_hardship_support.md'))).toEqual([
      '第一章 总则',
      '第二章 供养人员',
      '第三章 办理程序',
      '第四章 救助供养内容',
      '第五章 救助供养标准',
      '第六章 救助供养形式',
      '第七章 供养待遇及资金发放',
      '第八章 资金保障',
      '第九章 档案及信息化管理',
      '第十章 供养服务机构管理',
      '第十一章 监督管理',
      '第十二章 附则',
    ]);
  });

  it('京人社评发〔2024〕13号: the issued 办法 after the signature, five chapters', () => {
    expect(outline(doc('dev', 'bj_2024_flexible_employment_subsidy.md'))).toEqual([
      '附件：北京市灵活就业社会保险补贴人员认定审核办法（试行）',
      '  第一章 总则',
      '  第二章 资格认定',
      '  第三章 就业状况报告与审核',
      '  第四章 监督检查',
      '  第五章 附则',
    ]);
  });

  it('京建法〔2020〕6号: four parts, items under them', () => {
    expect(outline(doc('dev', 'bj_2020_market_rental_subsidy.md'), 0)).toEqual([
      '一、调整市场租房补贴申请条件',
      '二、调整市场租房补贴标准',
      '三、做好政策衔接工作',
      '四、本通知自2020年8月1日起实施',
    ]);
  });

  it('京民养老发〔2022〕69号: three parts, 重点任务 in five groups', () => {
    expect(outline(doc('dev', 'bj_2022_elderly_meal_service.md'), 1)).toEqual([
      '一、总体要求',
      '二、重点任务',
      '  （一）扩大养老助餐服务供给',
      '  （二）优化老年餐获取途径和方式',
      '  （三）完善养老助餐服务规范',
      '  （四）加大养老助餐服务资金支持',
      '  （五）加强养老助餐服务监管',
      '三、组织实施',
      '  （一）加强组织领导',
      '  （二）强化部门协作',
      '  （三）加大宣传引导',
    ]);
  });

  it('京教财〔2020〕22号: the 办法, then six attachments that restart 第一条 under their own titles', () => {
    const d = doc('dev', 'bj_2020_student_aid_funds.md');
    expect(d.attachments).toHaveLength(7);
    expect(d.attachmentLabels).toEqual(['', '附件1', '附件2', '附件3', '附件4', '附件5', '附件6']);
    expect(d.attachments[2]).toBe('研究生国家奖学金、学业奖学金国家助学金实施细则');
    const firsts = d.clauses.filter((c) => c.label === '第一条' && c.paragraph === 1);
    expect(firsts.map((c) => c.section)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(outline(d, 0)).toEqual(d.attachments.map((t) => `附件：${t}`));
  });

  it('京司发〔2022〕33号: the 意见 after the signature starts its own numbering', () => {
    const d = doc('dev', 'bj_2022_legal_aid_commitment.md');
    expect(outline(d, 1).slice(-6)).toEqual([
      '附件：北京市实行法律援助告知承诺制的意见（试行）',
      '  一、告知承诺制实行范围',
      '  二、告知承诺制适用对象',
      '  三、告知承诺工作流程',
      '  四、核查监管',
      '  五、告知承诺失信惩戒',
    ]);
  });
});
