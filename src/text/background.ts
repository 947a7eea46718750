/**
 * Background word frequencies of general Chinese: how common a word is outside policy texts.
 * They tell topic words (比特币, 津贴, 低保) from everyday words (我, 今年, 一个月) without
 * looking at the corpus. Read from a jieba-format dictionary ("word freq [tag]" per line).
 */
export interface BackgroundFrequencies {
  /**
   * Informativeness of a word in [0, 1]: its inverse background frequency, log(total / (f + 1)),
   * divided by log(total). A word missing from the list is scored by its rarest character, so an
   * unknown compound of common characters (我妈) stays everyday.
   */
  informativeness(word: string): number;
  /** Natural log of the word's share of general Chinese text (the same estimate: −informativeness · log total). */
  logShare(word: string): number;
}

/** FNV-1a over bytes [from, to). */
function hashBytes(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * The dictionary as an open-addressing hash table in typed arrays over its own UTF-8 bytes: no
 * string per word (the jieba dictionary has 349,000), built in one pass on first use.
 */
interface Table {
  bytes: Uint8Array;
  /** Per slot: byte offset of the word + 1 (0 = empty), its byte length, its summed frequency. */
  start: Int32Array;
  len: Uint8Array;
  freq: Float64Array;
  mask: number;
  logTotal: number;
}

function buildTable(bytes: Uint8Array): Table {
  let lines = 1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lines++;
  let cap = 1024;
  while (cap < lines * 2) cap *= 2;
  const start = new Int32Array(cap);
  const len = new Uint8Array(cap);
  const freq = new Float64Array(cap);
  const mask = cap - 1;
  const latin1 = new TextDecoder('latin1');
  let total = 0;
  let at = 0;
  while (at < bytes.length) {
    let end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    const sp = bytes.indexOf(0x20, at);
    if (sp > at && sp < end && sp - at < 256) {
      let sp2 = bytes.indexOf(0x20, sp + 1);
      if (!(sp2 > sp && sp2 < end)) sp2 = end;
      const f = parseCount(bytes, sp + 1, sp2, latin1);
      if (Number.isFinite(f) && f > 0) {
        // a word listed twice counts with the sum of its frequencies
        const n = sp - at;
        for (let s = hashBytes(bytes, at, sp) & mask; ; s = (s + 1) & mask) {
          if (start[s] === 0) {
            start[s] = at + 1;
            len[s] = n;
            freq[s] = f;
            break;
          }
          if (len[s] === n && equalBytes(bytes, start[s]! - 1, bytes, at, n)) {
            freq[s] = freq[s]! + f;
            break;
          }
        }
        total += f;
      }
    }
    at = end + 1;
  }
  return { bytes, start, len, freq, mask, logTotal: Math.log(Math.max(2, total)) };
}

/** The number in bytes [from, to): plain digits read directly, anything else as `Number` reads it. */
function parseCount(b: Uint8Array, from: number, to: number, latin1: { decode(b: Uint8Array): string }): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 9 || i - from > 14) return Number(latin1.decode(b.subarray(from, to)));
    n = n * 10 + c;
  }
  return to > from ? n : Number(latin1.decode(b.subarray(from, to)));
}

function equalBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
}

const encoder = new TextEncoder();
const scratch = new Uint8Array(256 * 3);

/** The summed frequency of a word, or undefined when the dictionary lacks it. */
function lookup(t: Table, word: string): number | undefined {
  if (word.length === 0 || word.length > 255) return undefined;
  const w = scratch;
  const n = encoder.encodeInto(word, w).written;
  if (n > 255) return undefined;
  for (let s = hashBytes(w, 0, n) & t.mask; t.start[s] !== 0; s = (s + 1) & t.mask) {
    if (t.len[s] === n && equalBytes(t.bytes, t.start[s]! - 1, w, 0, n)) return t.freq[s];
  }
  return undefined;
}

/**
 * Informativeness of a number written in digits (92, 2020, 1.5, 30%) or a lone Latin letter (the b
 * of a stray "<b>", the A of "A类"): jieba's dictionary lists none, so they would score as the
 * rarest words; but an age, a year or an amount is a detail of the asker's situation, not a topic
 * (the `numbers` feature weighs whether a clause holds it), and a lone letter names nothing.
 * Scored like a common everyday word.
 */
export const NUMBER_INFORMATIVENESS = 0.3;
const NUMBER = /^(?:\d+(?:\.\d+)?%?|[a-z])$/i;

/** Builds background frequencies from a jieba dictionary (its text or UTF-8 bytes); read on first use. */
export function createBackgroundFrequencies(dict: () => string | Uint8Array): BackgroundFrequencies {
  let table: Table | undefined;
  const load = (): Table => {
    if (table) return table;
    const d = dict();
    table = buildTable(typeof d === 'string' ? encoder.encode(d) : d);
    return table;
  };
  const score = (t: Table, f: number): number => Math.min(1, Math.max(0, Math.log(Math.exp(t.logTotal) / (f + 1)) / t.logTotal));
  const informativeness = (word: string): number => {
    if (NUMBER.test(word)) return NUMBER_INFORMATIVENESS;
    const t = load();
    const f = lookup(t, word);
    if (f !== undefined) return score(t, f);
    if (word.length <= 1) return 1;
    let least = 0;
    for (const ch of word) least = Math.max(least, score(t, lookup(t, ch) ?? 0));
    return least;
  };
  return {
    informativeness,
    logShare(word: string): number {
      return -informativeness(word) * load().logTotal;
    },
  };
}
