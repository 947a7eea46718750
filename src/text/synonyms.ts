import { PolicyBotError } from '../errors.ts';
import { normalizeKey } from './normalize.ts';

/** term → expansions, all in normalised key form. */
export type SynonymTable = ReadonlyMap<string, readonly string[]>;

/**
 * Parses the synonyms file: "term: expansion, expansion" per line, # comments.
 * Throws on a malformed line so a typo in the dictionary is caught by the tests, not by users.
 */
export function parseSynonyms(text: string, source = 'synonyms.txt'): SynonymTable {
  const table = new Map<string, string[]>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = /^([^:：]+)[:：](.+)$/.exec(line);
    if (!m) throw new PolicyBotError('DICTIONARY_INVALID', `${source}:${i + 1}: expected "term: expansion, expansion", got "${raw}"`, { source, line: i + 1 });
    const term = normalizeKey(m[1]!);
    const exps = m[2]!
      .split(/[,，、]/)
      .map((s) => normalizeKey(s))
      .filter((s) => s && s !== term);
    if (!term || exps.length === 0) throw new PolicyBotError('DICTIONARY_INVALID', `${source}:${i + 1}: empty term or expansion`, { source, line: i + 1 });
    table.set(term, [...new Set([...(table.get(term) ?? []), ...exps])]);
  });
  return table;
}

/** Per table, its terms longest first (ties in table order), made again when its size changes. */
const sortedTerms = new WeakMap<SynonymTable, { size: number; terms: string[] }>();

function termsLongestFirst(table: SynonymTable): string[] {
  let s = sortedTerms.get(table);
  if (!s || s.size !== table.size) sortedTerms.set(table, (s = { size: table.size, terms: [...table.keys()].sort((a, b) => b.length - a.length) }));
  return s.terms;
}

/**
 * Finds the dictionary terms present in a normalised query, longest first, without overlaps.
 * With `words` (the query cut into words), a one-character term counts only where it is a word of
 * its own: 办 (→ 办理) in "办个证", not inside 办理, where taking it would cut the word in two.
 */
export function findSynonymTerms(
  query: string,
  table: SynonymTable,
  words?: readonly string[],
): Array<{ term: string; index: number; expansions: readonly string[] }> {
  let starts: Set<number> | undefined;
  if (words) {
    starts = new Set<number>();
    let at = 0;
    for (const w of words) {
      const i = query.indexOf(w, at);
      if (i < 0) continue;
      if (w.length === 1) starts.add(i);
      at = i + w.length;
    }
  }
  const found: Array<{ term: string; index: number; expansions: readonly string[] }> = [];
  const terms = termsLongestFirst(table);
  const used = new Array<boolean>(query.length).fill(false);
  for (const term of terms) {
    let from = 0;
    for (;;) {
      const at = query.indexOf(term, from);
      if (at < 0) break;
      from = at + 1;
      if (starts && term.length === 1 && !starts.has(at)) continue;
      if (used.slice(at, at + term.length).some(Boolean)) continue;
      for (let k = at; k < at + term.length; k++) used[k] = true;
      found.push({ term, index: at, expansions: table.get(term)! });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Joins synonym tables (the general synonyms and the colloquial dictionary); expansions add up. */
export function mergeSynonyms(...tables: SynonymTable[]): SynonymTable {
  const out = new Map<string, string[]>();
  for (const t of tables) for (const [term, exps] of t) out.set(term, [...new Set([...(out.get(term) ?? []), ...exps])]);
  return out;
}
