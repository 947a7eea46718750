import type { Corpus } from '../corpus/types.ts';

/**
 * Example topics drawn from the corpus itself (short headings, one or two per document), so
 * /help and "nothing found" replies suggest what this corpus can actually answer.
 */
export function exampleTopics(corpus: Corpus, max = 6): string[] {
  const perDoc: string[][] = [];
  for (const f of corpus.files) {
    for (const d of f.documents) {
      const seen = new Set<string>();
      const topics: string[] = [];
      for (const c of d.clauses) {
        const h = c.headings[c.headings.length - 1];
        if (!h || c.path.length < 2) continue;
        const t = h.replace(/^[（(][^)）]+[)）]|^[一二三四五六七八九十]+、|^\d+[.．]/, '').trim();
        if (t.length >= 4 && t.length <= 14 && !seen.has(t)) {
          seen.add(t);
          topics.push(t);
        }
      }
      if (topics.length > 0) perDoc.push(topics);
    }
  }
  const out: string[] = [];
  for (let round = 0; out.length < max && perDoc.some((t) => t.length > round); round++) {
    for (const t of perDoc) {
      const pick = t[Math.min(t.length - 1, round * 3 + 1)];
      if (pick && t.length > round && !out.includes(pick) && out.length < max) out.push(pick);
    }
  }
  return out;
}
