import type { Corpus } from '../corpus/types.ts';

/**
 * Example topics drawn from the corpus itself (short headings, one or two per document), so
 * /help and "nothing found" replies suggest what this corpus can actually answer.
 */
export function exampleTopics(corpus: Corpus, max = 6): string[] {
  // headings every policy has (指导思想, 基本原则, 工作要求…) say nothing about this corpus
  const docsWith = new Map<string, number>();
  for (const f of corpus.files) {
    for (const d of f.documents) {
      for (const t of new Set(d.clauses.map((c) => bare(c.headings[c.headings.length - 1] ?? '')))) docsWith.set(t, (docsWith.get(t) ?? 0) + 1);
    }
  }
  const perDoc: string[][] = [];
  for (const f of corpus.files) {
    for (const d of f.documents) {
      const seen = new Set<string>();
      const topics: string[] = [];
      for (const c of d.clauses) {
        const h = c.headings[c.headings.length - 1];
        if (!h || c.path.length < 2) continue;
        const t = bare(h);
        if (t.length >= 4 && t.length <= 14 && !seen.has(t) && !GENERIC.test(t) && (docsWith.get(t) ?? 0) <= 1) {
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

const GENERIC = /^(指导思想|基本原则|主要目标|发展目标|总体要求|工作要求|保障措施|组织领导|工作职责|基本职责|成员单位|工作规则|主要任务|政策措施|重点任务|规划实施|附则|总则)$/;

/** A heading without its numbering marker. */
function bare(h: string): string {
  return h.replace(/^[（(][^)）]+[)）]|^[一二三四五六七八九十]+、|^\d+[.．]|^第[一二三四五六七八九十百]+[章节条]/, '').trim();
}
