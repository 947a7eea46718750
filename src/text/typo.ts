import Fuse from 'fuse.js';
import { createRequire } from 'node:module';
import { buildNeighbours, neighbourLookup, type NeighbourData } from './neighbours.ts';

/**
 * Repairs homophone input errors (心农合 → 新农合) against the corpus vocabulary. A run of the
 * query holding a bigram the corpus never contains is replaced by a vocabulary word of the same
 * length that sounds the same: same toneless pinyin, else same "fuzzy pinyin" (zh/z, ch/c, sh/s,
 * n/l, in/ing, en/eng, an/ang — the usual pinyin-keyboard confusions), else the closest pinyin
 * spelling by fuse.js. Words the dictionaries know are never touched.
 */
export interface TypoRepairer {
  /** Returns the replacements to make in `run` (already normalised). */
  repair(
    run: string,
    isKnownBigram: (bigram: string) => boolean,
    isKnownWord?: (word: string) => boolean,
    words?: readonly string[],
    isFunctionWord?: (ch: string) => boolean,
  ): Array<{ from: string; to: string }>;
}

// pinyin-pro (17 MB of dictionaries) is loaded by the first repair that needs pinyin, not at start-up
const requireModule = createRequire(import.meta.url);
let pinyinFn: typeof import('pinyin-pro')['pinyin'] | undefined;

/** Toneless pinyin of a word, one syllable per character: 新农合 → ["xin", "nong", "he"]. */
export function syllables(word: string): string[] {
  pinyinFn ??= (requireModule('pinyin-pro') as typeof import('pinyin-pro')).pinyin;
  return pinyinFn(word, { toneType: 'none', type: 'array' });
}

/** Folds the pinyin distinctions that pinyin-keyboard users most often miss. */
export function fuzzySyllable(s: string): string {
  return s
    .replace(/^zh/, 'z')
    .replace(/^ch/, 'c')
    .replace(/^sh/, 's')
    .replace(/^l/, 'n')
    .replace(/^r/, 'n')
    .replace(/ing$/, 'in')
    .replace(/eng$/, 'en')
    .replace(/ang$/, 'an');
}

const HAN = /^[\u4e00-\u9fff]+$/;

/**
 * The repair vocabulary as stored data: its words (2–6 Han characters, first occurrence kept, in
 * the given order) with the lookup of words one character apart (./neighbours.ts).
 */
export type TypoVocabulary = NeighbourData;

/** Makes the stored form of a vocabulary. */
export function typoVocabulary(words: Iterable<string>): TypoVocabulary {
  return buildNeighbours([...new Set(words)].filter((w) => w.length >= 2 && w.length <= 6 && HAN.test(w)));
}

const isVocabulary = (v: unknown): v is TypoVocabulary =>
  typeof v === 'object' && v !== null && 'keys' in v && (v as TypoVocabulary).keys instanceof Float64Array;

/**
 * Builds a repairer over a vocabulary (words the corpus holds, or their stored form), given now
 * or read on first need. `weight` says how much the corpus uses a word, to choose among words
 * that sound alike. Every replacement is a vocabulary word of the span's length one character
 * apart from it, so only those words (found through ./neighbours.ts) are ever read or turned
 * into pinyin: a repair never scans the vocabulary.
 */
export function createTypoRepairer(
  vocabulary: Iterable<string> | TypoVocabulary | (() => Iterable<string> | TypoVocabulary),
  weight: (word: string) => number = () => 1,
): TypoRepairer {
  let lookup: ReturnType<typeof neighbourLookup> | undefined;
  const vocab = (): NonNullable<typeof lookup> => {
    if (lookup) return lookup;
    const v = typeof vocabulary === 'function' ? vocabulary() : vocabulary;
    lookup = neighbourLookup(isVocabulary(v) ? v : typoVocabulary(v));
    return lookup;
  };
  // toneless pinyin of the vocabulary words met so far
  const pinyinOf = new Map<string, string[]>();
  const sylOf = (w: string): string[] => {
    let s = pinyinOf.get(w);
    if (!s) pinyinOf.set(w, (s = syllables(w)));
    return s;
  };
  /**
   * Vocabulary words one character apart from `span`: those with its exact pinyin, its fuzzy
   * pinyin, and (3 characters or more) the pool fuse.js ranks near spellings in — ordered by the
   * first character of the span they share, then by vocabulary order.
   */
  const candidates = (span: string): { exact: string[]; fuzzy: string[]; pool: string[] } => {
    const v = vocab();
    const ids = v.near(span);
    const words = ids.map((i) => v.word(i));
    const syl = syllables(span);
    const key = syl.join(' ');
    const fuzzyKey = syl.map(fuzzySyllable).join(' ');
    const exact = words.filter((w) => sylOf(w).join(' ') === key);
    const fuzzy = words.filter((w) => sylOf(w).map(fuzzySyllable).join(' ') === fuzzyKey);
    const firstShared = (w: string): number => {
      let i = 0;
      for (const ch of span) {
        if (w.includes(ch)) return i;
        i++;
      }
      return i;
    };
    const pool =
      span.length >= 3
        ? words
            .map((w, k) => ({ w, at: firstShared(w), k }))
            .sort((a, b) => a.at - b.at || a.k - b.k)
            .map((x) => x.w)
        : [];
    return { exact, fuzzy, pool };
  };
  // fuse.js ranks near pinyin spellings among those candidates
  const nearest = (key: string, pool: string[], span: string): string | undefined => {
    if (pool.length === 0) return undefined;
    const fuse = new Fuse(
      pool.map((word) => ({ word, key: sylOf(word).join(' ') })),
      { keys: ['key'], includeScore: true, threshold: 0.2, ignoreLocation: true },
    );
    const hit = fuse.search(key, { limit: 8 }).find((r) => r.item.word !== span && soundsClose(r.item.word, span));
    return hit?.item.word;
  };

  return {
    repair(run, isKnownBigram, isKnownWord = () => false, words = [], isFunctionWord = () => false) {
      const out: Array<{ from: string; to: string }> = [];
      const chars = [...run];
      // `words` are dictionary words: a bigram at the junction of two ("建设|提供") is no typo,
      // however rare in the corpus
      const junction = new Set<number>();
      // a span replaced must start and end on dictionary-word boundaries ("银|行能" is no span)
      const boundary = new Set<number>([0, chars.length]);
      let at = 0;
      words.forEach((w, k) => {
        const next = words[k + 1];
        if (w.length >= 2 && next !== undefined && next.length >= 2) junction.add(at + w.length - 1);
        at += w.length;
        boundary.add(at);
      });
      const aligned = (s: number, len: number): boolean => words.length === 0 || (boundary.has(s) && boundary.has(s + len));
      const done = new Set<number>();
      for (let i = 0; i + 1 < chars.length; i++) {
        const bigram = chars[i]! + chars[i + 1]!;
        if (done.has(i) || junction.has(i) || !HAN.test(bigram) || isKnownBigram(bigram)) continue;
        let fixed = false;
        for (let len = 4; len >= 2 && !fixed; len--) {
          for (let s = Math.max(0, i + 2 - len); s <= i && !fixed; s++) {
            const span = chars.slice(s, s + len).join('');
            if ([...span].length !== len || !HAN.test(span) || isKnownWord(span) || !aligned(s, len)) continue;
            const syl = syllables(span);
            // a function word (会, 能, 要…) is never the misspelt character
            const keepsFunctionWords = (w: string): boolean => [...w].every((ch, k) => ch === span[k] || !isFunctionWord(span[k]!));
            // several words sound alike: take the one the corpus uses far more, else none
            const pick = (cands: string[] | undefined): string | undefined => {
              const ok = (cands ?? []).filter((w) => w !== span && oneCharApart(w, span) && keepsFunctionWords(w));
              // the replacement must be used clearly more than what was typed, and than its rivals
              const typed = isKnownBigram(span) || span.length > 2 ? weight(span) : 0;
              const ranked = ok.map((w) => [w, weight(w)] as const).sort((a, b) => b[1] - a[1]);
              const best = ranked[0];
              if (!best || best[1] <= 2 * typed) return undefined;
              if (ranked.length === 1) return best[0];
              return best[1] >= 2 * ranked[1]![1] ? best[0] : undefined;
            };
            const { exact, fuzzy, pool } = candidates(span);
            const near = len >= 3 ? nearest(syl.join(' '), pool, span) : undefined;
            const to = pick(exact) ?? pick(fuzzy) ?? (near && keepsFunctionWords(near) ? near : undefined);
            if (to) {
              out.push({ from: span, to });
              for (let k = s; k < s + len; k++) done.add(k);
              fixed = true;
            }
          }
        }
      }
      return out;
    },
  };
}

const INITIAL = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(.*)$/;

/** Two syllables sound close when they share the initial or the final (xin/xing, shi/si). */
export function closeSyllables(a: string, b: string): boolean {
  const [, ia = '', fa = ''] = INITIAL.exec(a) ?? [];
  const [, ib = '', fb = ''] = INITIAL.exec(b) ?? [];
  return fuzzySyllable(a) === fuzzySyllable(b) || ia === ib || fa === fb;
}

/** The one differing character of two same-length words sounds close to the other. */
function soundsClose(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return closeSyllables(syllables(a[i]!)[0] ?? '', syllables(b[i]!)[0] ?? '');
  }
  return true;
}

function oneCharApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d === 1;
}
