/** Index terms of normalised text: CJK character bigrams and Latin/number words. */

const RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9][a-z0-9.%+]*/g;

/** Bigrams of every CJK run (a lone character counts as itself) and whole Latin/number words. */
export function textTerms(key: string): string[] {
  const out: string[] = [];
  for (const m of key.matchAll(RUN)) {
    const run = m[0];
    if (/^[a-z0-9]/.test(run)) {
      out.push(run.replace(/[.%]+$/, ''));
      continue;
    }
    if (run.length === 1) {
      out.push(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/** Bigrams only (no lone characters): what coverage is measured in. */
export function bigramsOf(key: string): string[] {
  return textTerms(key).filter((t) => t.length >= 2 || /[a-z0-9]/.test(t));
}

/** True for a word worth indexing beyond its bigrams: three or more CJK characters. */
export function isLongWord(w: string): boolean {
  return w.length >= 3 && /^[\u3400-\u9fff]+$/.test(w);
}
