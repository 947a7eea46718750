import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** Splits Chinese text into words. Injected wherever words are needed, so tests can swap it. */
export interface Segmenter {
  /** Non-overlapping words, for reading a question. */
  cut(text: string): string[];
  /** Non-overlapping words of the dictionary only (no guessed new words): what is surely a word. */
  cutDictionary(text: string): string[];
  /** Words and their parts ("城镇居民" → 城镇, 居民, 城镇居民), for indexing. */
  cutForSearch(text: string): string[];
  /** The words the segmenter knows (its dictionary), for typo repair; read on demand. */
  lexicon(): Iterable<string>;
}

/**
 * jieba (Rust, prebuilt binary inside the npm package) with its full dictionary plus the
 * project's own words (data/dictionaries/words.txt).
 */
export function createJiebaSegmenter(extraWords: readonly string[] = []): Segmenter {
  const jieba = Jieba.withDict(dict);
  if (extraWords.length > 0) {
    jieba.loadDict(Buffer.from(`${extraWords.map((w) => `${w} 50000 n`).join('\n')}\n`, 'utf8'));
  }
  const clean = (ws: string[]): string[] => ws.filter((w) => w.trim().length > 0);
  return {
    cut: (text) => clean(jieba.cut(text, true)),
    cutDictionary: (text) => clean(jieba.cut(text, false)),
    cutForSearch: (text) => clean(jieba.cutForSearch(text, true)),
    *lexicon() {
      yield* extraWords;
      const text = new TextDecoder().decode(dict);
      let at = 0;
      while (at < text.length) {
        const nl = text.indexOf('\n', at);
        const end = nl < 0 ? text.length : nl;
        const sp = text.indexOf(' ', at);
        yield text.slice(at, sp > at && sp < end ? sp : end);
        at = end + 1;
      }
    },
  };
}

/** A segmenter on the platform's ICU word breaker (Intl.Segmenter): no native module, coarser. */
export function createIntlSegmenter(): Segmenter {
  const seg = new Intl.Segmenter('zh', { granularity: 'word' });
  const cut = (text: string): string[] => [...seg.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
  return { cut, cutDictionary: cut, cutForSearch: cut, lexicon: () => [] };
}
