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

/** Builds background frequencies from the text of a jieba dictionary; parsed on first use. */
export function createBackgroundFrequencies(dictText: () => string): BackgroundFrequencies {
  let table: Map<string, number> | undefined;
  let logTotal = 1;
  const load = (): Map<string, number> => {
    if (table) return table;
    const t = new Map<string, number>();
    let total = 0;
    const text = dictText();
    let at = 0;
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      const sp = text.indexOf(' ', at);
      if (sp > at && sp < end) {
        const sp2 = text.indexOf(' ', sp + 1);
        const f = Number(text.slice(sp + 1, sp2 > sp && sp2 < end ? sp2 : end));
        if (Number.isFinite(f) && f > 0) {
          const w = text.slice(at, sp);
          t.set(w, (t.get(w) ?? 0) + f);
          total += f;
        }
      }
      at = end + 1;
    }
    logTotal = Math.log(Math.max(2, total));
    table = t;
    return t;
  };
  const score = (f: number): number => Math.min(1, Math.max(0, Math.log(Math.exp(logTotal) / (f + 1)) / logTotal));
  const informativeness = (word: string): number => {
    const t = load();
    const f = t.get(word);
    if (f !== undefined) return score(f);
    if (word.length <= 1) return 1;
    let least = 0;
    for (const ch of word) least = Math.max(least, score(t.get(ch) ?? 0));
    return least;
  };
  return {
    informativeness,
    logShare(word: string): number {
      return -informativeness(word) * logTotal;
    },
  };
}
