/**
 * Words of a vocabulary that are one character apart from a given word (same length, one
 * position differs): the candidates of typo repair. Each word is hashed once per position with
 * that position left out; the hashes sit in one sorted Float64Array (hash · 2^21 + word number),
 * so a lookup is a few binary searches, the structure is three flat values a snapshot can store,
 * and a lookup decodes only the words it returns.
 */
export interface NeighbourData {
  /** The words, joined. */
  words: string;
  /** End of word i in `words` (its start is the end of word i − 1). */
  ends: Uint32Array;
  /** Sorted hash · 2^21 + word number, one per word and position. */
  keys: Float64Array;
}

const SHIFT = 2 ** 21;

/** FNV-1a of a word's length, one left-out position and its other characters. */
function patternHash(w: string, from: number, len: number, skip: number): number {
  let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
  h = Math.imul(h ^ skip, 0x01000193);
  for (let i = 0; i < len; i++) if (i !== skip) h = Math.imul(h ^ w.charCodeAt(from + i), 0x01000193);
  return h >>> 0;
}

/** Builds the lookup over `words` (kept in this order; numbers are positions in it). */
export function buildNeighbours(words: readonly string[]): NeighbourData {
  if (words.length >= SHIFT) throw new RangeError(`neighbours: ${words.length} words, at most ${SHIFT - 1}`);
  const ends = new Uint32Array(words.length);
  let total = 0;
  let positions = 0;
  words.forEach((w, i) => {
    ends[i] = total += w.length;
    positions += w.length;
  });
  const keys = new Float64Array(positions);
  let k = 0;
  words.forEach((w, i) => {
    for (let skip = 0; skip < w.length; skip++) keys[k++] = patternHash(w, 0, w.length, skip) * SHIFT + i;
  });
  keys.sort();
  return { words: words.join(''), ends, keys };
}

/** Reads NeighbourData: word i, and the numbers (ascending) of the words one character apart from a word. */
export function neighbourLookup(data: NeighbourData): { size: number; word(i: number): string; near(w: string): number[] } {
  const { words, ends, keys } = data;
  const word = (i: number): string => words.slice(i > 0 ? ends[i - 1]! : 0, ends[i]!);
  const lowerBound = (x: number): number => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    size: ends.length,
    word,
    near(w) {
      const found = new Set<number>();
      for (let skip = 0; skip < w.length; skip++) {
        const h = patternHash(w, 0, w.length, skip);
        const top = (h + 1) * SHIFT;
        for (let p = lowerBound(h * SHIFT); p < keys.length && keys[p]! < top; p++) {
          const i = keys[p]! - h * SHIFT;
          const start = i > 0 ? ends[i - 1]! : 0;
          if (ends[i]! - start !== w.length) continue;
          let diff = 0;
          for (let c = 0; c < w.length && diff < 2; c++) if (words.charCodeAt(start + c) !== w.charCodeAt(c)) diff++;
          if (diff === 1) found.add(i);
        }
      }
      return [...found].sort((a, b) => a - b);
    },
  };
}
