import { hasTerm, idf, maxIdf, type SearchIndex } from './inverted-index.ts';
import type { QueryGroup } from './query.ts';
import { bigramsOf } from './tokens.ts';

/** Matching a question's topic words against clause text: pure functions used in re-ranking. */

/**
 * How close together the question's words stand in a sentence: the characters they cover
 * divided by the width of the smallest stretch holding them all (1 = side by side).
 */
export function proximity(groups: QueryGroup[], text: string, from: number, to: number): number {
  let lo = Infinity;
  let hi = -1;
  let covered = 0;
  for (const g of groups) {
    let len = g.text.length;
    let at = text.indexOf(g.text, from);
    if (at < 0 || at + len > to) {
      at = -1;
      for (const e of g.expansions) {
        const a = text.indexOf(e, from);
        if (a >= 0 && a + e.length <= to) {
          at = a;
          len = e.length;
          break;
        }
      }
    }
    if (at < 0) continue;
    lo = Math.min(lo, at);
    hi = Math.max(hi, at + len);
    covered += len;
  }
  return hi > lo ? Math.min(1, covered / (hi - lo)) : 0;
}

/** How much a topic word weighs: the idf of its bigrams (unknown ones weigh the most). */
export function groupMass(index: SearchIndex, g: QueryGroup): number {
  const bs = bigramsOf(g.text);
  if (bs.length === 0) {
    // one character: half weight
    return 0.5 * (hasTerm(index, g.text) ? idf(index, g.text) : maxIdf(index) / 2);
  }
  return bs.reduce((s, b) => s + (hasTerm(index, b) ? idf(index, b) : maxIdf(index)), 0) / Math.sqrt(bs.length);
}

/** True when `needle` occurs in text[from, to). */
function within(text: string, needle: string, from: number, to: number): boolean {
  const at = text.indexOf(needle, from);
  return at >= 0 && at + needle.length <= to;
}

/**
 * 1 when the word is in text[from, to), 0.9 for a synonym of it, part credit when most of its
 * bigrams are there, else 0.
 */
export function groupMatch(g: QueryGroup, grams: readonly string[], text: string, from = 0, to = text.length): number {
  return groupMatchWith(g, grams, (needle) => within(text, needle, from, to));
}

/** `groupMatch` over any text: `has(needle)` says whether it holds the word, a synonym or a bigram. */
export function groupMatchWith(g: QueryGroup, grams: readonly string[], has: (needle: string) => boolean): number {
  if (has(g.text)) return 1;
  for (const e of g.expansions) if (has(e)) return 0.9;
  if (grams.length < 2) return 0;
  let found = 0;
  for (const b of grams) if (has(b)) found++;
  const share = found / grams.length;
  return share >= 0.5 ? 0.7 * share : 0;
}
