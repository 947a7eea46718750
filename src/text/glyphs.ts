/**
 * Character repairs for text extracted from PDFs and web pages: vertical presentation forms
 * (︒ → 。), full-width Latin letters and digits (１ → 1), Kangxi radicals and compatibility
 * ideographs (⼀ → 一). Full-width Chinese punctuation (，。：；) is kept as it is.
 */

const VERTICAL: Record<string, string> = {
  '\ufe10': '，',
  '\ufe11': '、',
  '\ufe12': '。',
  '\ufe13': '：',
  '\ufe14': '；',
  '\ufe15': '！',
  '\ufe16': '？',
  '\ufe17': '〖',
  '\ufe18': '〗',
  '\ufe19': '…',
  '\ufe30': '‥',
  '\ufe31': '—',
  '\ufe32': '–',
  '\ufe33': '_',
  '\ufe34': '_',
  '\ufe35': '（',
  '\ufe36': '）',
  '\ufe37': '｛',
  '\ufe38': '｝',
  '\ufe39': '〔',
  '\ufe3a': '〕',
  '\ufe3b': '【',
  '\ufe3c': '】',
  '\ufe3d': '《',
  '\ufe3e': '》',
  '\ufe3f': '〈',
  '\ufe40': '〉',
  '\ufe41': '「',
  '\ufe42': '」',
  '\ufe43': '『',
  '\ufe44': '』',
  '\ufe47': '［',
  '\ufe48': '］',
};

const FOLDABLE = /[\ufe10-\ufe19\ufe30-\ufe48]|[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2f00-\u2fdf\uf900-\ufaff]/g;

/** Replaces vertical punctuation, full-width alphanumerics and radical/compatibility forms. */
export function repairGlyphs(text: string): string {
  return text.replace(FOLDABLE, (ch) => VERTICAL[ch] ?? ch.normalize('NFKC'));
}
