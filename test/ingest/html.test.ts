import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile, parseFileBytes } from '../../src/corpus/repository.ts';
import type { PolicyDocument } from '../../src/corpus/types.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { declaredCharset } from '../../src/ingest/html/charset.ts';
import { htmlToMarkdown, pageMetadata } from '../../src/ingest/html/convert.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { detectFormat } from '../../src/ingest/source.ts';
import { FIXTURES, tempDataDir } from '../helpers.ts';

// the dev-corpus markdown each page was made from (copied from shared/corpus/dev)
const DEV = join(FIXTURES, 'html', 'source');
const page = (f: string) => readFileSync(join(FIXTURES, 'html', f));
const devDoc = (f: string): PolicyDocument => parseBulletin(readFileSync(join(DEV, f), 'utf8'), f).documents[0]!;
const fromPage = (f: string): PolicyDocument => {
  const { text } = htmlToMarkdown(page(f), f);
  return parseFileBytes(new TextEncoder().encode(text), f).documents[0]!;
};
const shape = (d: PolicyDocument) => ({
  title: d.title.replace(/\s+/g, ''),
  docNumber: d.docNumber,
  signDate: d.signDate,
  clauses: d.clauses.map((c) => `${c.label}|${c.text}`),
});

// Each fixture wraps a dev-corpus document in a CMS layout: nav, breadcrumbs, share, footer, scripts
describe.each([
  ['gov-metadata-table.html', 'bj_2018_preschool_aid.md', 'metadata table (【标　　题】【发文字号】) + pages_content, body without title or 文号'],
  ['trs-editor-gb2312.html', 'bj_2020_market_rental_subsidy.md', 'GB2312 page, layout tables, TRS_Editor holding title and 文号'],
  ['plain-layout.html', 'bj_2024_flexible_employment_subsidy.md', 'no known container: h1 title, [发文字号] line, the paragraphs found by text density'],
  ['zoom-gbk.html', 'gf_2013_31_broadband.md', 'GBK page, 标　　题：/发文字号： metadata table, zoom div without title or 文号, a data table'],
])('web page %s', (file, dev, what) => {
  it(`gives the same document as its markdown (${what})`, () => {
    expect(shape(fromPage(file))).toEqual(shape(devDoc(dev)));
  });

  it('leaves out navigation, breadcrumbs, share widgets, print links, footers and scripts', () => {
    const { text } = htmlToMarkdown(page(file), file);
    const source = readFileSync(join(DEV, dev), 'utf8');
    const count = (t: string, word: string): number => t.split(word).length - 1;
    // as often as in the document itself: none, save a word that is also text ("充分享受")
    for (const chrome of ['首页', '分享', '打印', '版权所有', 'ICP', '当前位置', '您现在的位置', '统计代码', 'window', '字体', '相关链接', '热点专题']) {
      expect(count(text, chrome), chrome).toBe(count(source, chrome));
    }
  });
});

describe('web page zoom-gbk.html: a 政府文件 page whose body sits in <div id="zoom">', () => {
  const bytes = page('zoom-gbk.html');
  const source = readFileSync(join(DEV, 'gf_2013_31_broadband.md'), 'utf8');
  const nonBlank = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

  it('is GBK, declared by its meta tag; title and 文号 come from the metadata table, as the body has neither', () => {
    expect(declaredCharset(bytes)).toBe('gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const zoom = /<div id="zoom">([\s\S]*?)<div class="bdsharebuttonbox">/.exec(new TextDecoder('gb18030').decode(bytes))![1]!;
    expect(zoom).not.toContain('国发〔2013〕31号');
    expect(zoom).not.toContain('国务院关于印发');
    const r = htmlToMarkdown(bytes, 'zoom-gbk.html');
    expect(r.title).toBe('国务院关于印发“宽带中国”战略及实施方案的通知');
    expect(r.docNumber).toBe('国发〔2013〕31号');
  });

  it('gives the body verbatim after the title and 文号: every paragraph, the table as tab-separated rows, nothing else', () => {
    const { text } = htmlToMarkdown(bytes, 'zoom-gbk.html');
    expect(nonBlank(text)).toEqual(['<!-- policybot:html -->', ...nonBlank(source)]);
  });

  it('keeps the data table as rows with its title, header, groups and empty cells', () => {
    const rows = fromPage('zoom-gbk.html').clauses.filter((c) => c.kind === 'table-row');
    expect(rows).toHaveLength(22);
    const header = ['指标', '单位', '2013年', '2015年', '2020年'];
    expect(rows[0]!.table).toEqual({
      title: '“宽带中国”发展目标与发展时间表',
      header,
      group: '1. 宽带用户规模',
      cells: ['固定宽带接入用户', '亿户', '2.1', '2.7', '4.0'],
    });
    const city = rows.find((r) => r.table?.cells[0] === '其中：发达城市')!;
    expect(city.table).toMatchObject({ group: '3. 宽带网络能力', cells: ['其中：发达城市', 'Mbps', '', '100（部分城市）', '1000（部分用户）'] });
    expect(city.text).toBe('指标：其中：发达城市；单位：Mbps；2015年：100（部分城市）；2020年：1000（部分用户）');
  });

  it("leaves out this site's chrome: top bar, menu, search, info line, font size, share, print, QR code, previous/next, related links, footer", () => {
    const { text } = htmlToMarkdown(bytes, 'zoom-gbk.html');
    for (const chrome of [
      '今天是',
      '无障碍',
      '手机版',
      '搜索',
      '走进绵阳',
      '政务公开',
      '发布时间',
      '浏览次数',
      '新浪微博',
      '关闭窗口',
      '扫一扫',
      '上一篇',
      '下一篇',
      '解读',
      '网站地图',
      '绵阳市人民政府',
      '蜀ICP备',
      '网站标识码',
      '索引号',
      '主题分类',
    ]) {
      expect(text, chrome).not.toContain(chrome);
    }
  });
});

describe('web page pieces', () => {
  it('reads the declared charset of a GB2312 page and decodes it', () => {
    expect(declaredCharset(page('trs-editor-gb2312.html'))).toBe('gb2312');
    expect(htmlToMarkdown(page('trs-editor-gb2312.html'), 'p.html').text).toContain('市场租房补贴');
  });

  it('reads CMS metadata blocks in their bracket and colon forms', () => {
    const m = pageMetadata([
      '【标　　题】\t关于某事的通知\t【发文字号】\t京政发〔2024〕3号',
      '[发文机关] 北京市人民政府 [成文日期] 2024-01-05',
      '文号：京政办发〔2023〕9号',
    ]);
    expect(m.get('标题')).toBe('关于某事的通知');
    expect(m.get('发文字号')).toBe('京政发〔2024〕3号');
    expect(m.get('发文机关')).toBe('北京市人民政府');
    expect(m.get('成文日期')).toBe('2024-01-05');
    expect(m.get('文号')).toBe('京政办发〔2023〕9号');
    // labels spaced out to one width before their colon, as many sites' metadata tables set them
    const spaced = pageMetadata(['索 引 号：\t000014349/2013-00131\t主题分类：\t工业、交通', '标　　题：\t国务院关于某事的通知\t发文字号：\t国发〔2013〕31号']);
    expect(Object.fromEntries(spaced)).toEqual({
      索引号: '000014349/2013-00131',
      主题分类: '工业、交通',
      标题: '国务院关于某事的通知',
      发文字号: '国发〔2013〕31号',
    });
  });

  it('keeps a data table as rows', () => {
    const html = `<html><head><meta charset="utf-8"><title>t</title></head><body><div class="nav"><a href="/">首页</a></div>
      <div class="TRS_Editor"><p>测试市人民政府关于发放补贴的通知</p><p>测政发〔2025〕1号</p><p>各区人民政府：</p>
      <p>一、补贴标准按下表执行：</p>
      <table border="1"><tr><th>档次</th><th>人均月收入</th><th>补贴标准</th></tr>
      <tr><td>第一档</td><td>1200元以下</td><td>4600元</td></tr><tr><td>第二档</td><td>1200—2400元</td><td>3900元</td></tr></table>
      <p>二、本通知自发布之日起施行。</p></div></body></html>`;
    const { text } = htmlToMarkdown(new TextEncoder().encode(html), 't.html');
    const d = parseFileBytes(new TextEncoder().encode(text), 't.html').documents[0]!;
    const rows = d.clauses.filter((c) => c.kind === 'table-row');
    expect(rows.map((r) => r.table?.cells)).toEqual([
      ['第一档', '1200元以下', '4600元'],
      ['第二档', '1200—2400元', '3900元'],
    ]);
    expect(rows[0]!.table?.header).toEqual(['档次', '人均月收入', '补贴标准']);
  });

  it('refuses a GBK page declared as Latin-1 (mojibake) and a page with no article', () => {
    const gbk = page('trs-editor-gb2312.html');
    const lying = new TextDecoder('latin1').decode(gbk).replace('charset=gb2312', 'charset=iso-8859-1');
    const bytes = Uint8Array.from(lying, (ch) => ch.charCodeAt(0));
    const err = (() => {
      try {
        htmlToMarkdown(bytes, 'm.html');
      } catch (e) {
        return e;
      }
    })();
    expect(isPolicyBotError(err, 'INPUT_GARBLED')).toBe(true);
    expect((err as Error).message).toMatch(/mojibake/);
    const list = new TextEncoder().encode(
      '<html><body><div class="nav"><a href="/a">首页</a><a href="/b">政策</a></div><ul><li><a href="/1">通知一</a></li></ul></body></html>',
    );
    const empty = (() => {
      try {
        htmlToMarkdown(list, 'l.html');
      } catch (e) {
        return e;
      }
    })();
    expect(isPolicyBotError(empty, 'INPUT_EMPTY')).toBe(true);
  });

  it('tells web pages and PDFs from markdown by their first bytes', () => {
    expect(detectFormat(new TextEncoder().encode('<!DOCTYPE html><html>'), 'page')).toBe('html');
    expect(detectFormat(new TextEncoder().encode('%PDF-1.7\n'), 'x.md')).toBe('pdf');
    expect(detectFormat(new TextEncoder().encode('# 标题\n'), 'x.md')).toBe('text');
  });

  it('ingests a page as stored markdown; the same page again changes nothing', async () => {
    const dir = await tempDataDir(false);
    const src = join(FIXTURES, 'html', 'trs-editor-gb2312.html');
    const first = await ingestFile(dir, src);
    expect(first.status).toBe('added');
    expect(first.file.file).toBe('trs-editor-gb2312.md');
    expect(first.file.documents[0]!.docNumber).toBe('京建法〔2020〕6号');
    const stored = await readFile(join(dir, 'bulletins', 'trs-editor-gb2312.md'), 'utf8');
    expect(stored.startsWith('<!-- policybot:html -->\n')).toBe(true);
    expect((await ingestFile(dir, src)).status).toBe('unchanged');
    expect(await readdir(join(dir, 'bulletins'))).toEqual(['trs-editor-gb2312.md']);
  });
});
