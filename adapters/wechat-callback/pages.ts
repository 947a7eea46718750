import { splitMessages } from '../plain-text.ts';

/** WeChat's limit for one text message (passive reply, customer-service message, WeCom message/send). */
export const WECHAT_TEXT_MAX_BYTES = 2048;

/** Ends every page of a long answer but the last. */
export const MORE_FOOTER = '回复「更多」查看剩余';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Splits rendered parts (clause + citation, lists…) into pages of at most `maxBytes` UTF-8 bytes.
 * Pages break between parts first, then between lines, then between sentences; every page but
 * the last ends with `footer` (empty: no footer).
 */
export function pageByBytes(parts: string[], maxBytes = WECHAT_TEXT_MAX_BYTES, footer = MORE_FOOTER): string[] {
  const whole = parts.join('\n\n');
  if (bytes(whole) <= maxBytes) return whole ? [whole] : [];
  const tail = footer ? `\n\n${footer}` : '';
  const budget = maxBytes - bytes(tail);
  // a UTF-16 unit is at most 3 UTF-8 bytes, so pieces of budget/3 units always fit
  const pieces = parts.flatMap((p) => (bytes(p) <= budget ? [p] : splitMessages([p], Math.floor(budget / 3))));
  const pages: string[] = [];
  let cur = '';
  for (const piece of pieces) {
    const joined = cur ? `${cur}\n\n${piece}` : piece;
    if (bytes(joined) <= budget) cur = joined;
    else {
      if (cur) pages.push(cur);
      cur = piece;
    }
  }
  if (cur) pages.push(cur);
  return pages.map((p, i) => (i < pages.length - 1 ? p + tail : p));
}
