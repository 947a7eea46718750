import { describe, expect, it } from 'vitest';
import { normalizeKey } from '../../src/text/normalize.ts';
import { seed } from '../helpers.ts';

const doc = (n: string) => {
  const d = seed().documents.find((x) => x.docNumber === n);
  if (!d) throw new Error(`no ${n}`);
  return d;
};

describe('seed bulletin: issue and table of contents', () => {
  it('reads the issue header despite the malformed line', () => {
    expect(seed().issue).toEqual({
      publication: '绵阳市人民政府公报',
      year: 2013,
      number: 13,
      total: 393,
      date: '2013-07-15',
      editor: '绵阳市人民政府研究室编',
    });
  });

  it('finds exactly the seven documents, with 文号 normalised, titles joined and TOC pages', () => {
    const got = seed().documents.map((d) => [d.docNumber, d.title, d.pages, d.category]);
    expect(got).toEqual([
      ['国发〔2013〕30号', '国务院关于加快发展节能环保产业的意见', { start: 2, end: 8 }, '上级文件'],
      ['国发〔2013〕31号', '国务院关于印发“宽带中国”战略及实施方案的通知', { start: 9, end: 18 }, '上级文件'],
      ['国办发〔2013〕87号', '国务院办公厅关于金融支持小微企业发展的实施意见', { start: 19, end: 21 }, '上级文件'],
      ['川府发〔2013〕39号', '四川省人民政府关于改革完善市（州）、县（市、区）食品药品监督管理体制的实施意见', { start: 22, end: 24 }, '上级文件'],
      ['川办发〔2013〕52号', '四川省人民政府办公厅关于印发四川省深化医药卫生体制改革2013年主要工作安排的通知', { start: 25, end: 27 }, '上级文件'],
      ['川办函〔2013〕151号', '四川省人民政府办公厅关于印发四川省基本公共服务体系“十二五”规划重点工作分工方案的通知', { start: 28, end: 30 }, '上级文件'],
      ['绵府办发〔2013〕53号', '绵阳市人民政府办公室关于印发《绵阳市保障性安居工程联席会议制度》的通知', { start: 31 }, '本级文件'],
    ]);
    expect(seed().toc).toHaveLength(7);
    expect(seed().toc[0]).toEqual({ title: '国务院关于加快发展节能环保产业的意见', docNumber: '国发〔2013〕30号', page: 2, category: '上级文件' });
  });

  it('reads addressees, signer, date and embedded attachments', () => {
    const d = doc('国发〔2013〕31号');
    expect(d.addressees).toBe('各省、自治区、直辖市人民政府，国务院各部委、各直属机构：');
    expect(d.signer).toBe('国务院');
    expect(d.signDate).toBe('2013-08-01');
    expect(d.issuer).toBe('国务院');
    expect(d.attachments).toEqual(['“宽带中国”战略及实施方案']);
    expect(doc('川办发〔2013〕52号').signDate).toBe('2013-08-09');
    expect(doc('川办发〔2013〕52号').attachments).toEqual(['四川省深化医药卫生体制改革2013年主要工作安排']);
    expect(doc('绵府办发〔2013〕53号').signer).toBe('绵阳市人民政府办公室');
  });
});

describe('seed bulletin: clauses', () => {
  it('takes structure from numbering, not from # levels', () => {
    const c = doc('川办发〔2013〕52号').clauses.find((x) => x.label === '三、（十四）')!;
    expect(c.headings).toEqual(['三、积极推进公立医院改革', '（十四）全面推进县级医院综合改革']);
    expect(c.text.startsWith('(十四)全面推进县级医院综合改革。全面推进县级公立医院取消药品加成改革。')).toBe(true);
    // "### 三、" and "#### 四、" and "## 五、" are all top level in 国发〔2013〕30号
    const labels = new Set(doc('国发〔2013〕30号').clauses.map((x) => x.path[0]));
    expect([...labels]).toEqual(expect.arrayContaining(['一、', '二、', '三、', '四、', '五、', '六、']));
    expect(doc('国发〔2013〕30号').clauses.find((x) => x.label === '四、（二）')?.text).toContain('以旧换再');
  });

  it('a heading that runs on into text is a clause; a heading alone heads what follows', () => {
    const d = doc('国发〔2013〕30号');
    const g = d.clauses.filter((x) => x.label === '一、（一）');
    expect(g).toHaveLength(1);
    expect(g[0]!.headings).toEqual(['一、总体要求', '（一）指导思想']);
    expect(g[0]!.text.startsWith('牢固树立生态文明理念')).toBe(true);
    const run = d.clauses.find((x) => x.label === '二、（一）' && x.paragraph === 1)!;
    expect(run.headings[1]).toBe('（一）加快节能技术装备升级换代，推动重点领域节能增效');
    expect(run.kind).toBe('item');
  });

  it('joins paragraphs a page break split, and nothing else', () => {
    const all = seed().documents.flatMap((d) => d.clauses);
    const has = (s: string) => all.some((c) => c.text.includes(s));
    expect(has('脱硝设施运营基本实现专业化、市场化、社会化')).toBe(true);
    expect(has('受污染土壤生物修复技术、安全处理处置')).toBe(true);
    expect(has('推行预约诊疗和“节假日门诊”')).toBe(true);
    expect(has('审批、验收等工作')).toBe(true);
    expect(all.some((c) => c.text === '收等工作。' || c.text.startsWith('术、安全处理'))).toBe(false);
    // verbatim: the words of the source, only whitespace differs
    const src = normalizeKey(
      seed()
        .documents.map((d) => d.clauses.map((c) => c.text).join(''))
        .join(''),
    );
    expect(src).toContain(normalizeKey('城镇居民医保和新农合政府补助标准提高到每人每年 280 元'));
  });

  it('makes each 部门：负责… entry its own clause with its department', () => {
    const entries = doc('绵府办发〔2013〕53号').clauses.filter((c) => c.kind === 'list-entry');
    expect(entries.length).toBe(21);
    const rs = entries.find((c) => c.text.startsWith('市人社局：'))!;
    expect(rs.departments).toEqual(['市人社局']);
    expect(rs.label).toBe('二、（二）');
    expect(rs.headings).toEqual(['二、工作职责', '（二）主要成员单位职责']);
  });

  it('turns responsibility notes into departments', () => {
    const c = doc('川办发〔2013〕52号').clauses.find((x) => x.label === '一、（三）')!;
    expect(c.departments).toEqual(['卫生厅', '财政厅', '省发展改革委', '民政厅', '人力资源社会保障厅']);
    const m = doc('国办发〔2013〕87号').clauses.find((x) => x.text.includes('人民银行、银监会按职责分工负责'));
    expect(m?.departments).toEqual(expect.arrayContaining(['人民银行', '银监会']));
  });

  it('makes each table row a clause carrying the table title and header', () => {
    const rows = doc('国发〔2013〕31号').clauses.filter((c) => c.kind === 'table-row');
    expect(rows.length).toBe(22);
    const bs = rows.find((r) => r.text.startsWith('指标：3G/LTE 基站规模') || r.text.startsWith('指标：3G/LTE基站规模'))!;
    expect(bs.table?.title).toBe('“宽带中国”发展目标与发展时间表');
    expect(bs.table?.header).toEqual(['指标', '单位', '2013年', '2015年', '2020年']);
    expect(bs.table?.group).toBe('3. 宽带网络能力');
    expect(bs.text).toContain('2015年：120');
    expect(bs.headings).toContain('“宽带中国”发展目标与发展时间表');
  });

  it('never makes structure a clause: no 文号 line, TOC line, signature or empty heading', () => {
    const all = seed().documents.flatMap((d) => d.clauses);
    for (const c of all) {
      expect(c.text.trim().length).toBeGreaterThan(4);
      expect(/^\S*〔\d{4}〕\s*\d+\s*号\s*\d*$/.test(c.text)).toBe(false);
      expect(/^\d{4}\s*年\s*\d+\s*月\s*\d+\s*日$/.test(c.text)).toBe(false);
    }
    expect(all.some((c) => c.text.endsWith('建设。绵阳市人民政府办公室'))).toBe(false);
    expect(all.some((c) => c.text.endsWith('全力以赴推进保障性安居工程建设。'))).toBe(true);
  });

  it('gives every clause a unique, stable id', () => {
    const ids = seed().documents.flatMap((d) => d.clauses.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('川办发〔2013〕52号:1:三、（十四）:1');
  });
});
