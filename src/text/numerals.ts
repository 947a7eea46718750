/** Chinese numerals as used in document numbering (一、 （十四） 第二十三条 第一千零四十二条), 1–9999. */

/**
 * One character of a Chinese numeral, for regular expressions: 一 … 九, 十 百 千, 零 〇 两
 * (民法典 numbers its articles up to 第一千二百六十条).
 */
export const NUMERAL_CHAR = '[一二三四五六七八九十百千零〇两]';

const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Parses "十四", "二十", "一百零五", digit-by-digit "二〇二〇" / "九九九九" or "14" into a number;
 * undefined when it is none of these (two digits in a row inside a unit numeral, "一百九九", are not a number).
 */
export function parseChineseNumber(text: string): number | undefined {
  const s = text.trim().normalize('NFKC');
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[〇零一二两三四五六七八九十百千]+$/.test(s)) return undefined;
  if (s.length > 1 && !/[十百千]/.test(s)) return Number([...s].map((ch) => DIGITS[ch]).join(''));
  let total = 0;
  let digit = -1;
  for (const ch of s) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      if (digit > 0) return undefined;
      digit = d;
      continue;
    }
    const u = UNITS[ch]!;
    total += (digit < 0 ? 1 : digit) * u;
    digit = -1;
  }
  if (digit > 0) total += digit;
  return total;
}

/** Formats 1–9999 as Chinese numerals: 14 → "十四", 20 → "二十", 105 → "一百零五", 1042 → "一千零四十二". */
export function toChineseNumber(n: number): string {
  const d = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n >= 1000) {
    const rest = n % 1000;
    const head = `${d[Math.floor(n / 1000)]}千`;
    if (rest === 0) return head;
    return `${head}${rest < 100 ? `零${rest >= 10 && rest < 20 ? '一' : ''}` : ''}${toChineseNumber(rest)}`;
  }
  if (n < 10) return d[n]!;
  if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
  if (n < 100) return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (rest === 0) return `${d[h]}百`;
  return `${d[h]}百${rest < 10 ? `零${d[rest]}` : rest < 20 ? `一${toChineseNumber(rest)}` : toChineseNumber(rest)}`;
}
