/**
 * Text normalisation used for matching (never for display: quotes stay verbatim).
 * NFKC folds full-width letters, digits and punctuation to half width; all whitespace
 * is dropped because Chinese needs none and PDFs scatter spaces inside numbers and 文号.
 */

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const WIDE = `${CJK}〔〕（）《》“”‘’，。、：；！？()`;
// whitespace between two Chinese characters, or a Chinese character and a digit (either way)
const SPACE_NEAR_CJK = new RegExp(`(?<=[${WIDE}])[ \\t\\u3000]+(?=[${WIDE}0-9])|(?<=[0-9%])[ \\t\\u3000]+(?=[${WIDE}])`, 'g');

/** A string is transformed to another string: the shape of every injected text function. */
export type TextFn = (text: string) => string;

/** NFKC, lower case, no whitespace. The key form for comparing any two pieces of text. */
export function normalizeKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/**
 * Repairs whitespace the PDF conversion left inside Chinese text: spaces between Chinese
 * characters, or between Chinese and digits, go ("2013 年" → "2013年", "52 号" → "52号");
 * spaces next to Latin words stay ("IP 地址", "3G/LTE 用户").
 */
export function squeezeCjkSpaces(text: string): string {
  return text
    .replace(SPACE_NEAR_CJK, '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Removes markdown emphasis and inline HTML tags (`**四、…**`, `PM<sub>2.5</sub>`). */
export function stripInlineMarkup(text: string): string {
  return text
    .replace(/<\/?(?:sub|sup|b|i|em|strong|span|u|br)\b[^>]*>/gi, '')
    .replace(/\*\*|__/g, '')
    .replace(/(^|[^\\])\*(?=\S)([^*]*\S)\*/g, '$1$2');
}

/** Removes C0/C1 control characters except tab and newline. */
export function stripControlChars(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g, '');
}

/** True for a character in the CJK ideograph ranges. */
export function isCjk(ch: string): boolean {
  return /[\u3400-\u9fff\uf900-\ufaff]/.test(ch);
}
