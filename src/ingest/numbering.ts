import { NUMERAL_CHAR, parseChineseNumber } from '../text/numerals.ts';

/** Kinds of numbering that give Chinese documents their structure. */
export type MarkerType =
  | 'part' // 第一部分
  | 'book' // 第一编
  | 'subbook' // 第一分编 (民法典)
  | 'chapter' // 第一章
  | 'section' // 第一节
  | 'article' // 第一条
  | 'cn' // 一、
  | 'paren-cn' // （一） (一)
  | 'num' // 1. 1、 1．
  | 'paren-num' // （1） (1)
  | 'circled' // ①
  | 'box' // 专栏1
  | 'attachment'; // 附件1

/** A numbering marker found at the start of a text. */
export interface Marker {
  type: MarkerType;
  number: number;
  /** Canonical label: "三、", "（十四）", "1.", "（2）", "第十四条", "专栏1". */
  label: string;
  /** The text after the marker. */
  rest: string;
}

const CN = `${NUMERAL_CHAR}+`;
const PATTERNS: Array<{ type: MarkerType; re: RegExp; label: (n: string) => string }> = [
  { type: 'part', re: new RegExp(`^[第笫]\\s*(${CN}|\\d+)\\s*部分\\s*`), label: (n) => `第${n}部分` },
  { type: 'book', re: new RegExp(`^[第笫]\\s*(${CN}|\\d+)\\s*编(?![号制写辑排])\\s*`), label: (n) => `第${n}编` },
  { type: 'subbook', re: new RegExp(`^[第笫]\\s*(${CN}|\\d+)\\s*分编\\s*`), label: (n) => `第${n}分编` },
  { type: 'chapter', re: new RegExp(`^[第笫]\\s*(${CN}|\\d+)\\s*章\\s*`), label: (n) => `第${n}章` },
  { type: 'section', re: new RegExp(`^[第笫]\\s*(${CN}|\\d+)\\s*节\\s*`), label: (n) => `第${n}节` },
  { type: 'article', re: new RegExp(`^[第笫]\\s*(${CN}|\\d+)\\s*条(?![件例款])\\s*`), label: (n) => `第${n}条` },
  { type: 'cn', re: new RegExp(`^(${CN})\\s*[、．.]\\s*`), label: (n) => `${n}、` },
  { type: 'paren-cn', re: new RegExp(`^[（(]\\s*(${CN})\\s*[)）]\\s*`), label: (n) => `（${n}）` },
  { type: 'paren-num', re: /^[（(]\s*(\d{1,3})\s*[)）]\s*/, label: (n) => `（${n}）` },
  { type: 'num', re: /^(\d{1,3})\s*(?:[.．](?!\d)|、)\s*/, label: (n) => `${n}.` },
  { type: 'circled', re: /^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*/, label: (n) => n },
  { type: 'box', re: /^专栏\s*(\d{1,3}|[一二三四五六七八九十]+)\s*[:：.、]?\s*/, label: (n) => `专栏${n}` },
  { type: 'attachment', re: /^附\s*件\s*(\d{1,3}|[一二三四五六七八九十]+)?\s*[:：]?\s*/, label: (n) => `附件${n}` },
];

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** Finds the numbering marker a block starts with, if any. */
export function detectMarker(text: string): Marker | undefined {
  const s = text.trimStart();
  for (const p of PATTERNS) {
    const m = p.re.exec(s);
    if (!m) continue;
    const raw = (m[1] ?? '').replace(/\s+/g, '');
    const number = p.type === 'circled' ? CIRCLED.indexOf(raw) + 1 : raw === '' ? 1 : parseChineseNumber(raw);
    if (number === undefined || number <= 0) continue;
    const rest = s.slice(m[0].length);
    if (p.type === 'attachment' && raw === '' && !/^[:：]/.test(s.slice(2).trimStart()) && rest.length > 40) continue;
    return { type: p.type, number, label: p.label(raw), rest };
  }
  return undefined;
}

/**
 * Splits a numbered block into its short title and the text that runs on after it:
 * "（一）指导思想。" → title "指导思想"; "（一）加快…增效。推广高效锅炉。…" → title "加快…增效", run-on text.
 * A first sentence longer than `maxTitle` is no title: the block is all text.
 */
export function splitTitle(rest: string, maxTitle = 40, type?: MarkerType): { title: string; runOn: string } {
  // an article (第X条) is all text: what follows the number is never a heading
  if (type === 'article') return { title: '', runOn: rest };
  const m = /^([^。；！？]*?)([。；！？]|$)/.exec(rest);
  const first = m?.[1] ?? '';
  if (first.length === 0 || first.length > maxTitle || /[：:]$/.test(first)) {
    return { title: '', runOn: rest };
  }
  return { title: first.trim(), runOn: rest.slice(m![0].length).trim() };
}
