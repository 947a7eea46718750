import { describe, expect, it } from 'vitest';
import { garbledReason } from '../../src/ingest/garbled.ts';
import { applyPages, readPageMap, withPageMap } from '../../src/ingest/page-map.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { parseFolio, printedPages, stripFurniture } from '../../src/ingest/pdf/furniture.ts';
import { joinPdfLines, layoutPages } from '../../src/ingest/pdf/layout.ts';
import { buildLines, squeezeLetterSpacing } from '../../src/ingest/pdf/lines.ts';
import type { PdfLine, PdfPage } from '../../src/ingest/pdf/types.ts';
import { repairGlyphs } from '../../src/text/glyphs.ts';

/** A line of 12-pt text on an A4 page, `y` from the top. */
const line = (text: string, x0: number, y: number, x1 = x0 + text.length * 12, size = 12): PdfLine => ({ text, x0, x1, y, size, span: 595, depth: 842 });

describe('PDF text repairs', () => {
  it('maps vertical presentation forms and full-width alphanumerics, keeps Chinese punctuation', () => {
    expect(repairGlyphs('确定︒第︵一︶条︐见︽办法︾')).toBe('确定。第（一）条，见《办法》');
    expect(repairGlyphs('２０１３年，ＩＰ地址：')).toBe('2013年，IP地址：');
    expect(repairGlyphs('⼀⼆')).toBe('一二');
  });

  it('removes letter-spacing, keeps a real gap after 第一条', () => {
    expect(squeezeLetterSpacing('全 世 界 无 产 者， 联 合 起 来')).toBe('全世界无产者，联合起来');
    expect(squeezeLetterSpacing('第一条 住房公积金缴存基数按上年度月平均工资确定。')).toBe('第一条 住房公积金缴存基数按上年度月平均工资确定。');
  });

  it('joins wrapped lines: nothing in Chinese or after a hyphen or slash, a space between words', () => {
    expect(joinPdfLines('推进下一代', '互联网')).toBe('推进下一代互联网');
    expect(joinPdfLines('技术（TD-', 'LTE）')).toBe('技术（TD-LTE）');
    expect(joinPdfLines('并结合3G/', 'LTE 与')).toBe('并结合3G/LTE 与');
    expect(joinPdfLines('Internet', 'Protocol')).toBe('Internet Protocol');
  });

  it('finds the runs of a line by position, columns as tabs', () => {
    const page: PdfPage = {
      index: 1,
      width: 595,
      height: 842,
      images: 0,
      runs: [
        { text: '比例', x: 240, y: 600, advance: 24, size: 12, vertical: false },
        { text: '类别', x: 40, y: 600, advance: 24, size: 12, vertical: false },
        { text: '第一条', x: 40, y: 700, advance: 36, size: 12, vertical: false },
        { text: '住房公积金', x: 88, y: 700.4, advance: 60, size: 12, vertical: false },
      ],
    };
    expect(buildLines(page).map((l) => l.text)).toEqual(['第一条 住房公积金', '类别\t比例']);
  });
});

describe('page furniture', () => {
  it('reads folios in the forms bulletins print', () => {
    expect(['—12—', '- 12 -', '第 3 页', '3/40', '（7）', 'Page 9 of 10', '12'].map(parseFolio)).toEqual([12, 12, 3, 3, 7, 9, 12]);
    expect(parseFolio('2013年第13号')).toBeUndefined();
  });

  it('drops running headers and folios, keeps a large title that repeats the header text', () => {
    const pages = [1, 2, 3, 4].map((n) => [
      line(n % 2 ? '绵阳市人民政府公报' : '2013年第13号', 250, 40, 360, 9),
      ...(n === 3 ? [line('绵阳市人民政府公报', 200, 100, 420, 22)] : []),
      line(`正文第${n}页的第一行文字。`, 80, 300),
      line(`— ${n + 24} —`, 280, 800, 320, 10),
    ]);
    const r = stripFurniture(pages, 12);
    expect(r.folios).toEqual([25, 26, 27, 28]);
    expect(r.pages.map((p) => p.map((l) => l.text))).toEqual([
      ['正文第1页的第一行文字。'],
      ['正文第2页的第一行文字。'],
      ['绵阳市人民政府公报', '正文第3页的第一行文字。'],
      ['正文第4页的第一行文字。'],
    ]);
  });

  it('gives pages without a folio the number counted from their neighbours, else the label, else the index', () => {
    expect(printedPages([undefined, 25, undefined, 27], [])).toEqual([24, 25, 26, 27]);
    expect(printedPages([undefined, 1, 2], [])).toEqual([1, 1, 2]);
    expect(printedPages([undefined, undefined], ['iv', '12'])).toEqual([1, 12]);
    // a stray number that breaks the run is not believed
    expect(printedPages([5, 6, 99, 8], [])).toEqual([5, 6, 7, 8]);
  });
});

describe('paragraphs from lines, and pages to clauses', () => {
  it('starts a paragraph at an indent or after a short line, and keeps one running over a page break', () => {
    const p1 = [
      line('第一条', 80, 100),
      line('为了规范管理，制定本办法。本办法适用于全市范', 104, 130, 515),
      line('围内的住房公积金。', 80, 150, 188),
      line('第二条 住房公积金缴存基数按上年度月平均工资', 104, 180, 515),
    ];
    const p2 = [line('确定，每年调整一次。', 80, 100, 200), line('第三条 本办法自发布之日起施行。', 104, 130, 400)];
    const r = layoutPages([p1, p2], [7, 8]);
    expect(r.lines).toEqual([
      '## 第一条',
      '',
      '为了规范管理，制定本办法。本办法适用于全市范围内的住房公积金。',
      '',
      '第二条 住房公积金缴存基数按上年度月平均工资确定，每年调整一次。',
      '',
      '第三条 本办法自发布之日起施行。',
    ]);
    expect(r.pages).toEqual([7, 7, 7, 7, 7, 8, 8]);
  });

  it('records the page map in the stored text and gives each clause its page', () => {
    const text = withPageMap(
      'pdf',
      ['# 某市住房公积金管理办法', '', '某政发〔2024〕1号', '', '第一条 为了规范管理，制定本办法。', '', '第二条 本办法自发布之日起施行。'],
      [3, 3, 3, 3, 3, 3, 4],
    );
    expect(text.split('\n')[0]).toBe('<!-- policybot:pdf pages=2:3,8:4 -->');
    const map = readPageMap(text)!;
    const parsed = parseBulletin(map.text, 't');
    applyPages(parsed, map.pageAt!);
    const d = parsed.documents[0]!;
    expect(d.clauses.map((c) => [c.label, c.page])).toEqual([
      ['第一条', 3],
      ['第二条', 4],
    ]);
    expect(d.pages).toEqual({ start: 3, end: 4 });
    expect(readPageMap('# 普通的 markdown')).toBeUndefined();
  });
});

describe('the garbled-text check', () => {
  it('refuses replacement characters, Latin-1 mojibake of GBK and unmapped glyphs; passes real text', () => {
    const gbk = Uint8Array.from([
      0xc8, 0xab, 0xca, 0xc0, 0xbd, 0xe7, 0xce, 0xde, 0xb2, 0xfa, 0xd5, 0xdf, 0xa3, 0xac, 0xc1, 0xaa, 0xba, 0xcf, 0xc6, 0xf0, 0xc0, 0xb4,
    ]);
    expect(new TextDecoder('gbk').decode(gbk)).toBe('全世界无产者，联合起来');
    expect(garbledReason(new TextDecoder('latin1').decode(gbk))).toMatch(/Latin-1 mojibake/);
    expect(garbledReason('第一条 \ufffd\ufffd\ufffd\ufffd住房')).toMatch(/replacement characters/);
    expect(garbledReason('\ue001\ue002\ue003\ue004\ue005')).toMatch(/unmapped glyphs/);
    expect(garbledReason('第一条 住房公积金缴存基数按上年度月平均工资确定。Café 12%')).toBeUndefined();
  });
});
