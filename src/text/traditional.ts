import * as OpenCC from 'opencc-js';
import { from, to } from 'opencc-js/preset';
import type { TextFn } from './normalize.ts';

/**
 * Every character that Taiwan or Hong Kong Traditional → Simplified conversion changes on its
 * own: candidates from the conversion tables, kept when converting them really changes them.
 */
function traditionalCharacters(convert: (t: string) => string): Set<string> {
  const candidates = new Set<string>();
  const groups = [...(from.tw ?? []), ...(from.hk ?? []), ...(to.cn ?? [])];
  for (const group of groups) {
    for (const dict of group as unknown as unknown[]) {
      if (typeof dict !== 'string') continue;
      for (const pair of dict.split('|')) {
        const [a, b] = pair.split(' ');
        // single characters only: phrase entries would flag common simplified characters
        if (a && b && a !== b && [...a].length === 1) candidates.add(a);
      }
    }
  }
  const list = [...candidates];
  const out = convert(list.join('\n')).split('\n');
  const set = new Set<string>();
  if (out.length === list.length) {
    for (const [i, ch] of list.entries()) if (out[i] !== ch) set.add(ch);
  } else for (const ch of list) if (convert(ch) !== ch) set.add(ch);
  return set;
}

/**
 * Traditional → Simplified Chinese (opencc-js, Taiwan and Hong Kong variants included), so that
 * "聯席會議多久開一次" matches the simplified corpus. Text holding no character the
 * tables would change is returned as is without running the converter: corpora are mostly
 * simplified already, and indexing stays fast.
 */
export function createToSimplified(): TextFn {
  const tw = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const hk = OpenCC.Converter({ from: 'hk', to: 'cn' });
  const convert = (t: string): string => hk(tw(t));
  const traditional = traditionalCharacters(convert);
  return (text) => {
    for (const ch of text) if (traditional.has(ch)) return convert(text);
    return text;
  };
}
