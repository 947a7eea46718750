import { describe, expect, it } from 'vitest';
import { checkUploadName } from '../../../adapters/http/actions.ts';
import { esc, highlight, listTable } from '../../../adapters/http/html.ts';
import { isPolicyBotError } from '../../../src/errors.ts';

describe('console HTML helpers', () => {
  it('escapes the five HTML-special characters', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('marks whole words, merges overlaps, and escapes what it marks', () => {
    expect(highlight('新农合补助标准，新农合', ['新农合', '补助'])).toBe('<mark>新农合补助</mark>标准，<mark>新农合</mark>');
    expect(highlight('a<b>护理</b>', ['护理'])).toBe('a&lt;b&gt;<mark>护理</mark>&lt;/b&gt;');
  });

  it('falls back to two-character pieces of a word the text does not hold whole', () => {
    expect(highlight('护理费补贴', ['护理补贴'])).toBe('<mark>护理</mark>费<mark>补贴</mark>');
    expect(highlight('没有相关', ['补贴'])).toBe('没有相关');
  });
});

describe('upload names', () => {
  it('keeps a plain name and refuses folders, dot files and control characters', () => {
    expect(checkUploadName(' 遂宁公报 2014年第2期.md ')).toBe('遂宁公报 2014年第2期.md');
    for (const bad of ['../x.md', 'a/b.md', 'a\\b.md', '.env', '', 'x\u0001.md', 'x'.repeat(201)]) {
      let code = '';
      try {
        checkUploadName(bad);
      } catch (e) {
        if (isPolicyBotError(e)) code = e.code;
      }
      expect(code, bad).toBe('INPUT_INVALID');
    }
  });

  it('list tables label every cell with its column (the phone layout shows it) and say when they are empty', () => {
    const html = listTable('t', ['问题', '<次数>'], [['a', '1']], '无');
    expect(html).toBe(
      '<table id="t" class="list"><thead><tr><th>问题</th><th>&lt;次数&gt;</th></tr></thead><tbody><tr><td data-label="问题">a</td><td data-label="&lt;次数&gt;">1</td></tr></tbody></table>',
    );
    expect(listTable('t', ['问题'], [], '暂无<数据>')).toBe('<p class="empty">暂无&lt;数据&gt;</p>');
  });
});
