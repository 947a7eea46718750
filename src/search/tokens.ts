/**
 * Index terms of normalised text: CJK character bigrams (a lone character counts as itself)
 * and Latin/number words. CJK terms are coded as numbers (first char × 65536 + second), so the
 * index never allocates a string per bigram; other words stay strings.
 */

/** A term: a number for CJK bigrams and lone characters, a string for Latin/number words. */
export type TermCode = number | string;

/** True for a UTF-16 code unit the index reads as a CJK character (bigrams are made of these). */
export const isHan = (c: number): boolean => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
const isWord = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
const isWordTail = (c: number): boolean => isWord(c) || c === 0x2e || c === 0x25 || c === 0x2b; // . % +

/** Calls `emit` for every term of a normalised key, in order. */
export function forEachTerm(key: string, emit: (t: TermCode) => void): void {
  const n = key.length;
  let i = 0;
  while (i < n) {
    const c = key.charCodeAt(i);
    if (isHan(c)) {
      let j = i + 1;
      while (j < n && isHan(key.charCodeAt(j))) j++;
      if (j - i === 1) emit(c);
      else for (let k = i; k + 1 < j; k++) emit(key.charCodeAt(k) * 65536 + key.charCodeAt(k + 1));
      i = j;
    } else if (isWord(c)) {
      let j = i + 1;
      while (j < n && isWordTail(key.charCodeAt(j))) j++;
      let end = j;
      while (end > i + 1 && !isWord(key.charCodeAt(end - 1))) end--;
      emit(key.slice(i, end));
      i = j;
    } else i++;
  }
}

/** The terms of a key as an array. */
export function termsOf(key: string): TermCode[] {
  const out: TermCode[] = [];
  forEachTerm(key, (t) => out.push(t));
  return out;
}

/** The term code of one bigram, lone character or word string. */
export function termCode(term: string): TermCode {
  const a = term.charCodeAt(0);
  if (term.length === 2 && isHan(a) && isHan(term.charCodeAt(1))) return a * 65536 + term.charCodeAt(1);
  if (term.length === 1 && isHan(a)) return a;
  return term;
}

/** Bigrams (and words) of a key as strings, no lone characters: what coverage is measured in. */
export function bigramsOf(key: string): string[] {
  const out: string[] = [];
  forEachTerm(key, (t) => {
    if (typeof t === 'string') out.push(t);
    else if (t >= 65536) out.push(String.fromCharCode(Math.floor(t / 65536), t % 65536));
  });
  return out;
}
