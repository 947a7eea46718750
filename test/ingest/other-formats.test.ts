import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { FIXTURES } from '../helpers.ts';

const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

describe('a single document file (title line, 文号 line, 第X章/第X条)', () => {
  const p = parseBulletin(read('single-regulation.md'), 'single-regulation.md');
  const d = p.documents[0]!;

  it('is one document with no issue', () => {
    expect(p.issue).toBeUndefined();
    expect(p.documents).toHaveLength(1);
    expect(d.docNumber).toBe('德府发〔2014〕7号');
    expect(d.title).toBe('德阳市城市公共租赁住房管理办法');
    expect(d.signer).toBe('德阳市人民政府');
    expect(d.signDate).toBe('2014-02-10');
  });

  it('numbers 条 through the document (章 is a heading above them) and list items under their 条', () => {
    expect(d.clauses.map((c) => c.label)).toEqual([
      '第一条',
      '第二条',
      '第三条',
      '第三条（一）',
      '第三条（二）',
      '第三条（三）',
      '第四条',
      '第五条',
      '第五条',
      '第五条',
    ]);
    expect(d.clauses[2]!.headings).toEqual(['第二章 申请条件']);
    expect(d.clauses[6]!.departments).toEqual(['市发展改革委', '市住建局']);
  });

  it('reads a pipe table as rows', () => {
    const rows = d.clauses.filter((c) => c.kind === 'table-row');
    expect(rows.map((r) => r.text)).toEqual(['户型：一居室；建筑面积：40平方米；月租金：320元', '户型：两居室；建筑面积：60平方米；月租金：480元']);
  });
});

describe('another city’s bulletin (期 numbering, one-line TOC entries with leaders)', () => {
  const p = parseBulletin(read('bulletin-other.md'), 'bulletin-other.md');

  it('reads the issue and TOC', () => {
    expect(p.issue).toMatchObject({ publication: '遂宁市人民政府公报', year: 2014, number: 2, total: 400, unit: '期' });
    expect(p.toc.map((e) => [e.docNumber, e.page, e.category])).toEqual([
      ['遂府发〔2014〕3号', 1, '市政府文件'],
      ['遂府办发〔2014〕12号', 4, '市政府办公室文件'],
    ]);
    expect(p.warnings).toEqual([]);
  });

  it('parses both documents, bold headings and a page-split paragraph', () => {
    expect(p.documents.map((d) => [d.docNumber, d.pages])).toEqual([
      ['遂府发〔2014〕3号', { start: 1, end: 3 }],
      ['遂府办发〔2014〕12号', { start: 4 }],
    ]);
    const c = p.documents[0]!.clauses.find((x) => x.label === '二、1.')!;
    expect(c.text).toContain('开展技术指导和培训，帮助农民');
    expect(p.documents[1]!.clauses.map((x) => x.label)).toEqual(['一、', '二、']);
  });
});

describe('a document with its 文号 above the title, 第X部分 sections, a Chinese-numeral date and an attachment', () => {
  const p = parseBulletin(read('single-numeral-date.md'), 'single-numeral-date.md');
  const d = p.documents[0]!;

  it('reads title, 文号, signer and 二〇一四年三月五日', () => {
    expect(p.documents).toHaveLength(1);
    expect(d.docNumber).toBe('泸府办发〔2014〕15号');
    expect(d.title).toBe('泸州市人民政府办公室关于加强城市内涝防治工作的通知');
    expect(d.addressees).toBe('各区县人民政府，市级各部门：');
    expect(d.signer).toBe('泸州市人民政府办公室');
    expect(d.signDate).toBe('2014-03-05');
  });

  it('nests items under 第X部分 and reads the attachment after the signature', () => {
    expect(d.clauses.map((c) => c.label)).toEqual(['正文', '第一部分', '第二部分一、', '第二部分二、', '正文', '正文']);
    expect(d.attachments).toEqual(['泸州市易涝点整治清单']);
    expect(d.clauses[4]!.section).toBe(1);
    expect(d.clauses[4]!.text).toBe('序号：1；易涝点：江阳区大山坪；整治期限：2014年6月');
  });
});
