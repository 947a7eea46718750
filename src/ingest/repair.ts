import { parseDocNumberLine } from '../text/docnumber.ts';
import { joinWrapped, type Block } from './blocks.ts';
import { detectMarker } from './numbering.ts';
import { parseChineseNumber } from '../text/numerals.ts';

const TERMINAL = /[。！？；：!?;:…”’」』》）)\]】]$/u;
const DATE_LINE =
  /^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$/u;

/** True when the block is only a date such as "2013 年 8 月 9 日". */
export function isDateLine(text: string): boolean {
  return DATE_LINE.test(text.trim());
}

/** ISO form of a Chinese date "2013 年 8 月 9 日" → "2013-08-09"; undefined if none. */
export function parseChineseDate(text: string): string | undefined {
  const t = text.normalize('NFKC');
  const m = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/u.exec(t);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  // 二〇一四年三月五日
  const c = /([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日/u.exec(t);
  if (!c) return undefined;
  const digits = '〇一二三四五六七八九';
  const year = [...c[1]!].map((ch) => (ch === '○' || ch === '零' ? 0 : digits.indexOf(ch))).join('');
  const month = parseChineseNumber(c[2]!);
  const day = parseChineseNumber(c[3]!);
  if (month === undefined || day === undefined) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Joins paragraphs that a page break split: a paragraph that ends mid-sentence continues in the
 * next one ("…运营基本" + "实现专业化…", "…生物修复技" + "术、…"). Nothing else changes.
 * Returns the repaired blocks and how many joins were made.
 */
export function repairPageBreaks(blocks: Block[]): { blocks: Block[]; joins: Array<{ line: number; at: string }> } {
  const out: Block[] = [];
  const joins: Array<{ line: number; at: string }> = [];
  for (const b of blocks) {
    const prev = out[out.length - 1];
    if (prev && canContinue(prev, b)) {
      joins.push({ line: b.line, at: `${prev.text.slice(-6)}|${b.text.slice(0, 6)}` });
      out[out.length - 1] = { ...prev, text: joinWrapped(prev.text, b.text), lines: [...prev.lines, ...b.lines] };
      continue;
    }
    out.push(b);
  }
  return { blocks: out, joins };
}

function canContinue(prev: Block, next: Block): boolean {
  if (prev.kind !== 'para' || next.kind !== 'para') return false;
  const p = prev.text;
  if (TERMINAL.test(p) || p.includes('\n') || next.text.includes('\n')) return false;
  if (p.length < 20 && !/[，、]/.test(p)) return false;
  if (isHeadingLine(p) || isTitleLine(p) || isShortHeadingLine(prev, next)) return false;
  if (isDateLine(p) || isDateLine(next.text) || parseDocNumberLine(p) || parseDocNumberLine(next.text)) return false;
  if (detectMarker(next.text)) return false;
  return true;
}

/**
 * "一、基本生活费标准", "第一章 总 则": a numbered line short enough to be a heading, without
 * sentence punctuation after its number. On its own line in the source it stays apart from the
 * text below (it is not a page break in the middle of a sentence).
 */
export function isHeadingLine(text: string): boolean {
  const m = detectMarker(text);
  if (!m || m.type === 'article') return false;
  const rest = m.rest.trim();
  return rest.length > 0 && rest.length <= 40 && !/[，。；：,;:！？]/.test(rest);
}

/**
 * "(二)实行动态管理，完善孤儿档案" on its own line above a paragraph of a hundred characters: a
 * numbered line with commas but no sentence end, that stops well before the text below it fills a
 * line, is a heading. Text that wraps fills its line first, so a numbered item wrapped at a fixed
 * width ("（三）机关团体、中小学校、医院、公共文化设施等的绿地" / "率不低于百分之三十五；") still joins.
 */
function isShortHeadingLine(prev: Block, next: Block): boolean {
  const m = detectMarker(prev.text);
  if (!m || m.type === 'article' || prev.lines.length !== 1) return false;
  const rest = m.rest.trim();
  if (rest.length === 0 || rest.length > 40 || /[。；：;:！？!?]/.test(rest) || /[，、,]$/.test(rest)) return false;
  return [...prev.text].length * 4 <= [...(next.lines[0] ?? next.text)].length * 3;
}

/** Ends of a document title: 意见, 办法, 通知, 实施细则（试行）… */
const TITLE_END = /(?:意见|办法|通知|方案|规定|细则|条例|决定|规划|公告|通告|规则|批复|纲要|制度|标准)(?:[（(](?:试行|暂行|修订|修正|草案)[)）])?$/u;

/**
 * "关于提升北京市养老助餐服务管理水平的实施意见": a line that is a whole document title (it ends
 * with the kind of document, has no sentence punctuation and no open 《) is the title of the text
 * below it, never the first half of a sentence a page break split.
 */
export function isTitleLine(text: string): boolean {
  const t = text.trim();
  if (t.length > 60 || /[，。；：,;:！？]/.test(t) || !TITLE_END.test(t)) return false;
  return (t.match(/《/g) ?? []).length === (t.match(/》/g) ?? []).length;
}
