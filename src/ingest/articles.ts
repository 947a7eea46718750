import { NUMERAL_CHAR, parseChineseNumber } from '../text/numerals.ts';
import type { Block } from './blocks.ts';
import { detectMarker } from './numbering.ts';

/** "第十二条", "第 3 条" after a sentence end: where a flattened article may start. */
const ARTICLE_AT = new RegExp(`(?<=[。；;！？”])\\s*(?=[第笫]\\s*(${NUMERAL_CHAR}+|\\d+)\\s*条(?![件例款]))`, 'gu');
const ARTICLE_NUMBER = `第\\s*(?:${NUMERAL_CHAR}+|\\d+)\\s*条`;
const CHAPTER_HEADING = '第\\s*(?:[一二三四五六七八九十]+|\\d+)\\s*[章节]\\s*\\S{1,20}?';
/** "第二章 保障对象" after a sentence end, when an article follows it. */
const CHAPTER_AT = new RegExp(`(?<=[。；;！？”])\\s*(?=${CHAPTER_HEADING}\\s*${ARTICLE_NUMBER})`, 'gu');
/** "第二章 保障对象" glued before its first article "第五条……". */
const CHAPTER_GLUED = new RegExp(`^(${CHAPTER_HEADING})\\s*(?=${ARTICLE_NUMBER})`, 'u');

/**
 * One paragraph that holds many articles (a web page flattened "第一条……。第二条……。第三条……"
 * into one line) becomes one block per article. A cut is made only before "第N条" that follows a
 * sentence end and continues the numbering (N = previous + 1), so a reference inside a sentence
 * ("依照本条例第二十条") never splits; a 第X章 heading between two articles gets its own block.
 */
export function splitRunOnArticles(blocks: Block[]): Block[] {
  const out: Block[] = [];
  // the last article number seen: a later 款 may have the next article glued to its end
  // ("…由主席团会议决定。 第十六条市人民代表大会会议设立秘书处…")
  let last = 0;
  for (const b of blocks) {
    const first = b.kind === 'para' ? detectMarker(b.text) : undefined;
    const opens = first && (first.type === 'article' || first.type === 'chapter');
    if (first?.type === 'article') last = first.number;
    if (b.kind !== 'para' || b.text.length < 40 || (!opens && last === 0)) {
      out.push(b);
      continue;
    }
    const pieces = cutAtArticles(b.text, first?.type === 'article' ? first.number : opens ? 0 : last);
    if (pieces.length === 1) {
      out.push(b);
      continue;
    }
    for (const text of pieces) {
      const m = detectMarker(text);
      if (m?.type === 'article') last = m.number;
      out.push({ ...b, text, lines: [text] });
    }
  }
  return out;
}

function cutAtArticles(text: string, startNumber: number): string[] {
  const cuts = new Set<number>();
  let expected = startNumber + 1;
  for (const m of text.matchAll(ARTICLE_AT)) {
    const n = parseChineseNumber(m[1]!);
    if (n === undefined || m.index === 0) continue;
    // after a chapter heading the numbering carries on; the first article found sets it
    if (startNumber === 0 && expected === 1) expected = n;
    if (n !== expected) continue;
    cuts.add(m.index);
    expected = n + 1;
  }
  if (cuts.size === 0) return [text];
  for (const m of text.matchAll(CHAPTER_AT)) if (m.index > 0) cuts.add(m.index);
  const at = [0, ...[...cuts].sort((a, b) => a - b), text.length];
  const pieces: string[] = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const piece = text.slice(at[i], at[i + 1]).trim();
    if (piece) pieces.push(piece);
  }
  // a chapter heading glued before its first article: "第二章 保障对象第五条……" → two pieces
  return pieces.flatMap((p) => {
    const m = CHAPTER_GLUED.exec(p);
    return m && m[1]!.length < p.length ? [m[1]!.trim(), p.slice(m[0].length)] : [p];
  });
}
