import type { Corpus } from '../corpus/types.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { SynonymTable } from '../text/synonyms.ts';

/**
 * Example topics for /help and "nothing found" replies: the words residents use (the terms of
 * the synonym and colloquial dictionaries: 低保, 医保, 公租房…) whose meaning the corpus's
 * clauses actually hold, the most-used one per document first, so a suggestion is always
 * something this corpus answers and is phrased as people ask, not a section name.
 */
export function exampleTopics(corpus: Corpus, max: number, synonyms: SynonymTable): string[] {
  const docs = corpus.files.flatMap((f) => f.documents);
  const texts = docs.map((d) => d.clauses.map((c) => normalizeKey(c.text)));
  const terms = [...synonyms].filter(([t]) => t.length >= 2 && t.length <= 5 && /^[\u4e00-\u9fff]+$/.test(t));
  // per document: how many of its clauses each resident term (or what it stands for) reaches
  const perDoc = texts.map((clauses) =>
    terms
      .map(([term, exps]) => ({ term, n: clauses.filter((c) => c.includes(term) || exps.some((e) => e.length >= 2 && c.includes(e))).length }))
      .filter((x) => x.n >= 2),
  );
  // a term most documents reach (补贴, 单位) says nothing about this corpus
  const docsWith = new Map<string, number>();
  for (const d of perDoc) for (const x of d) docsWith.set(x.term, (docsWith.get(x.term) ?? 0) + 1);
  const general = (t: string): boolean => docs.length >= 4 && (docsWith.get(t) ?? 0) > docs.length / 2;
  const ranked = perDoc.map((d) =>
    d
      .filter((x) => !general(x.term))
      .sort((a, b) => b.n - a.n || a.term.localeCompare(b.term))
      .map((x) => x.term),
  );
  const out: string[] = [];
  for (let round = 0; out.length < max && ranked.some((r) => r.length > round); round++) {
    for (const r of ranked) {
      const pick = r[round];
      if (pick && !out.some((o) => o.includes(pick) || pick.includes(o)) && out.length < max) out.push(pick);
    }
  }
  return out;
}
