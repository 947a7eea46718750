import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentOutline } from '../../src/answer/outline.ts';
import { parseFileBytes } from '../../src/corpus/repository.ts';
import type { PolicyDocument } from '../../src/corpus/types.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { parseChineseNumber } from '../../src/text/numerals.ts';
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
    const md =
      '# 某某残疾人办法\n\n京残发〔2007〕62号\n\n第一条 为了保障残疾人权益，制定本办法。第二条 本办法适用于本市。第三条 符合本办法第二条规定的，可以申请。第二章 附则第四条 本办法自印发之日起施行。\n';
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

  it('京民养老发〔2022〕69号: five signing bodies, then the 意见 under its own title line: three parts, 重点任务 in five groups', () => {
    const d = doc('dev', 'bj_2022_elderly_meal_service.md');
    expect(d.signer).toBe('北京市民政局、北京市财政局、北京市商务局、北京市市场监督管理局、北京市政务服务管理局');
    // the title line is not glued to the paragraph below it
    expect(d.attachments).toEqual(['关于提升北京市养老助餐服务管理水平的实施意见']);
    expect(d.clauses.find((c) => c.section === 1)!.text).toMatch(/^为进一步提升养老助餐服务管理水平/);
    expect(d.clauses.some((c) => /^北京市.{1,12}局$/.test(c.text))).toBe(false);
    expect(outline(d, 2)).toEqual([
      '附件：关于提升北京市养老助餐服务管理水平的实施意见',
      '  一、总体要求',
      '  二、重点任务',
      '    （一）扩大养老助餐服务供给',
      '    （二）优化老年餐获取途径和方式',
      '    （三）完善养老助餐服务规范',
      '    （四）加大养老助餐服务资金支持',
      '    （五）加强养老助餐服务监管',
      '  三、组织实施',
      '    （一）加强组织领导',
      '    （二）强化部门协作',
      '    （三）加大宣传引导',
    ]);
  });

  it("京财教育〔2018〕2025号: two signing bodies; the cover's 附件 line and the closing list of attachments are not items of what precedes them", () => {
    const d = doc('dev', 'bj_2018_preschool_aid.md');
    expect(d.signer).toBe('北京市财政局、北京市教育委员会');
    expect(d.clauses.filter((c) => c.section === 0).map((c) => [c.label, c.text.slice(0, 12)])).toEqual([
      ['正文', '为贯彻落实党的十九大关于'],
      ['附件', '附件：北京市学前教育资助'],
    ]);
    const list = d.clauses.filter((c) => c.path[0] === '附件');
    expect(list.map((c) => [c.section, c.label])).toEqual([
      [0, '附件'],
      [1, '附件1.'],
      [1, '附件2.'],
      [1, '附件3.'],
    ]);
    expect(outline(d).slice(-6)).toEqual([
      '    （六）各区教委应当在每年学前教育资助工作结…',
      '  七、附则',
      '  附件',
      '    1.北京市学前教育资助申请表',
      '    2.学前教育资助经费预算申请表',
      '    3.学前教育资助情况统计表',
    ]);
  });

  it('京人口发〔2008〕53号: a numbered item without a title shows the start of its text in the outline', () => {
    expect(outline(doc('dev', 'bj_2008_only_child_death_assistance.md'), 1).slice(-7)).toEqual([
      '  2.严禁用特别扶助资金进行任何形式的盈利…',
      '  3.资金代理发放机构不按代理服务协议履行…',
      '六、独生子女家庭特别扶助制度的组织领导',
      '  1.加强领导，强化责任，切实把独生子女家庭特别扶助制度工作落到实处',
      '  2.各部门要建立经常性协调机制，具体组织特别扶助工作的顺利开展',
      '  3.继续落实已出台的各项人口与计划生育奖…',
      '  4.大力加强对基层干部和管理服务人员的培…',
    ]);
  });

  it('京教财〔2020〕22号: the 办法, then six attachments that restart 第一条 under their own titles', () => {
    const d = doc('dev', 'bj_2020_student_aid_funds.md');
    expect(d.signer?.split('、')).toHaveLength(6);
    // the list of attachments after 第二十八条 is not part of that article
    expect(d.clauses.filter((c) => c.path[0] === '附件').map((c) => c.label)).toEqual(['附件1.', '附件2.', '附件3.', '附件4.', '附件5.', '附件6.']);
    expect(d.attachments).toHaveLength(7);
    expect(d.attachmentLabels).toEqual(['', '附件1', '附件2', '附件3', '附件4', '附件5', '附件6']);
    expect(d.attachments[2]).toBe('研究生国家奖学金、学业奖学金国家助学金实施细则');
    const firsts = d.clauses.filter((c) => c.label === '第一条' && c.paragraph === 1);
    expect(firsts.map((c) => c.section)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(outline(d, 0)).toEqual(d.attachments.map((t) => `附件：${t}`));
    expect(outline(d, 1).slice(0, 7)).toEqual([
      '附件：北京市高等教育、中等职业教育、普通高中学生资助资金管理实施办法',
      '  第一章 总则',
      '  第二章 资助范围和标准',
      '  第三章 资金分担和预算安排',
      '  第四章 资金管理和监督',
      '  第五章 附则',
      '  附件',
    ]);
  });

  it('京民福发〔2011〕173号: a short numbered heading with commas on its own line stays apart from the paragraph below it', () => {
    const d = doc('dev', 'bj_2011_orphan_basic_living.md');
    expect(outline(d, 1)).toEqual([
      '一、基本生活费发放范围',
      '  （一）具有北京市户籍，未满18周岁，失去父母、查找不到生父母的未成年人',
      '  （二）具有北京市户籍，未满18周岁，父母双…',
      '二、基本生活费标准',
      '  （一）社会福利机构集中养育孤儿基本生活费标准为每人每月1600元',
      '  （二）社会散居孤儿基本生活费标准为每人每月1400元',
      '三、基本生活费申请程序',
      '  （一）集中养育孤儿申请程序',
      '  （二）散居孤儿申请程序',
      '四、资金来源及发放',
      '  （一）资金来源',
      '  （二）发放时间',
      '  （三）发放渠道',
      '  （四）停止发放',
      '五、工作要求',
      '  （一）规范《儿童福利证》管理',
      '  （二）实行动态管理，完善孤儿档案',
      '  （三）加强监管，履行部门职责',
    ]);
    const texts = (label: string): string[] => d.clauses.filter((c) => c.label === label).map((c) => c.text.slice(0, 10));
    expect(texts('五、（二）')).toEqual(['区县民政部门、街道(', '要将基本生活费发放工']);
    expect(texts('五、（三）')).toEqual(['民政部门负责组织协调', '财政部门负责落实孤儿', '孤儿基本生活费保障资']);
  });

  it('a numbered item the source wrapped at a fixed width, one line a paragraph, is still one item', () => {
    // admin-reg-0326: the first line is as long as the line below it, so it is no heading
    const md =
      '# 某某工资支付规定\n\n第一条 用人单位应当按照下列标准支付工资：\n\n（二）用人单位依法安排劳动者在休息日工作，而又不能安排补休的，按照\n\n不低于劳动合同规定的劳动者本人日或小时工资标准的２００％支付劳动者工资；\n';
    expect(parseBulletin(md).documents[0]!.clauses.map((c) => c.text)).toEqual([
      '第一条用人单位应当按照下列标准支付工资：',
      '（二）用人单位依法安排劳动者在休息日工作，而又不能安排补休的，按照不低于劳动合同规定的劳动者本人日或小时工资标准的２００％支付劳动者工资；',
    ]);
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

describe('structure of real regulations the source set imperfectly (regs-scale, test/fixtures/regs-structure)', () => {
  const reg = (name: string): PolicyDocument => doc('regs-structure', name);
  const articles = (d: PolicyDocument): number[] =>
    [...new Set(d.clauses.map((c) => c.path.find((p) => /^第.+条$/.test(p))).filter(Boolean))].map((a) => parseChineseNumber(a!.slice(1, -1))!);

  it('a history line broken over two lines is one line, and names the version', () => {
    const d = reg('law-0088.md');
    expect(d.history).toEqual(['2019年3月15日 第十三届全国人民代表大会第二次会议通过）']);
    expect(d.version).toEqual({ date: '2019-03-15', action: '通过' });
    const q = reg('local-shandong-0414.md');
    expect(q.history![0]).toBe('2013年2月26日 青岛市第十五届人民代表大会常务委员会第九次会议通过');
    expect(q.clauses.some((c) => c.text === '第九次会议通过')).toBe(false);
    expect(reg('admin-reg-0121.md').version).toEqual({ date: '1984-01-07', action: '发布' });
  });

  it("an article glued to the end of the previous article's 款 is its own article", () => {
    const d = reg('local-beijing-0027.md');
    expect(articles(d)).toEqual(Array.from({ length: articles(d).length }, (_, i) => i + 1));
    expect(d.clauses.find((c) => c.label === '第十六条')!.text).toMatch(/^第十六条市人民代表大会会议设立秘书处/);
    expect(d.clauses.filter((c) => c.label === '第十五条').at(-1)!.text).toMatch(/由主席团会议决定。$/);
  });

  it('a division title printed without its number ("法律责任", "附 则") heads what follows; a title over two lines is one', () => {
    expect(outline(reg('local-beijing-0027.md'))).toEqual([
      '第一章 总则',
      '第二章 会议的举行',
      '第三章 审议工作报告、地方性法规案和议案审查国民经济、社会发展计划和财政预算',
      '选举、辞职、罢免和补选',
      '第五章 询问和质询',
      '调查委员会',
      '发言和表决',
      '附则',
    ]);
    const k = reg('local-henan-0059.md');
    // before the first printed chapter the articles stand under no heading: the outline lists them
    expect(outline(k).slice(0, 10)).toEqual([
      '第一条',
      '第二条',
      '第三条',
      '第四条',
      '第五条',
      '第六条',
      '第七条',
      '第八条',
      '不可移动文物',
      '第三章 可移动文物',
    ]);
    expect(k.clauses.filter((c) => c.label === '第八条').map((c) => c.text)).not.toContain('不可移动文物');
    // the title has no number: it is a heading of the articles under it, not a step of their path
    expect(k.clauses.filter((c) => c.headings[0] === '不可移动文物').every((c) => /^第.+条$/.test(c.path[0]!))).toBe(true);
    expect(k.clauses.find((c) => c.label === '第十八条')!.path).toEqual(['第十八条']);
  });

  it('"总　则" above the first article heads it; the title printed again over two lines at the top of the body is no clause', () => {
    expect(outline(reg('local-shandong-0330.md')).slice(0, 3)).toEqual(['总则', '第二章 规划与建设', '供热管理']);
    const d = reg('admin-reg-0237.md');
    expect(d.title).toBe('国际邮轮在中华人民共和国港口靠港补给的规定');
    expect(d.clauses[0]!.label).toBe('第一条');
  });

  it('a notice over its 文号 under the title of the text it issues: two titles, and the dated line after the signature is history', () => {
    const d = reg('admin-reg-0326.md');
    expect(d.docNumber).toBe('劳部发〔1994〕489号');
    expect(d.title).toBe('关于印发《工资支付暂行规定》的通知');
    expect(d.attachments).toEqual(['工资支付暂行规定']);
    expect(d.history).toEqual(['1995年1月1日 执行']);
    expect(d.clauses.filter((c) => c.section === 1).map((c) => c.label)[0]).toBe('第一条');
    expect(articles(d)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // a title over two lines that does not quote the line above it is still one title
    const p = parseBulletin(
      '# 北京市财政局 北京市教育委员会\n\n关于印发学前教育资助办法的通知\n\n京财教育〔2018〕1号\n\n各区财政局：\n\n现将办法印发给你们。\n',
    );
    expect(p.documents[0]!.title).toBe('北京市财政局北京市教育委员会关于印发学前教育资助办法的通知');
  });

  it('reads 笫 (a common mistyping of 第) as 第, and 第X分编 between 编 and 章', () => {
    expect(articles(reg('law-0084.md'))).toEqual(Array.from({ length: 74 }, (_, i) => i + 1));
    const p = parseBulletin(
      '# 某某法典 合同编\n\n第一分编 通则\n\n第一章 一般规定\n\n第一条 本编调整因合同产生的民事关系。\n\n第二分编 典型合同\n\n第二章 买卖合同\n\n第二条 买卖合同是出卖人转移标的物的所有权于买受人的合同。\n',
    );
    expect(outline(p.documents[0]!)).toEqual(['第一分编 通则', '  第一章 一般规定', '第二分编 典型合同', '  第二章 买卖合同']);
  });
});

describe('articles numbered 一千 and above (民法典 books, test/fixtures/regs-lookup)', () => {
  it('reads 第一千零四十条 … 第一千一百一十八条 as articles, each with its own clauses', () => {
    const d = doc('regs-lookup', 'law-0071.md');
    const numbers = [...new Set(d.clauses.map((c) => c.path[0]!))].map((a) => parseChineseNumber(a.slice(1, -1))!);
    expect(numbers).toEqual(Array.from({ length: 79 }, (_, i) => 1040 + i));
    expect(d.clauses.find((c) => c.label === '第一千零四十二条')!.text).toMatch(/^第一千零四十二条禁止包办、买卖婚姻/);
  });
});
