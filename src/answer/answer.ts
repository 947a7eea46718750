import type { Clause, CorpusFile, PolicyDocument } from '../corpus/types.ts';
import type { SearchIndex } from '../search/inverted-index.ts';
import { groupMatch } from '../search/matching.ts';
import { searchClauses, type AnswerBasis, type SearchOptions, type SearchResult } from '../search/rank.ts';
import type { AnalyzedQuery } from '../search/query.ts';
import { bigramsOf } from '../search/tokens.ts';
import { normalizeKey } from '../text/normalize.ts';
import { citeClause, type Citation } from './citation.ts';
import { listContext, withListContext } from './list-context.ts';
import { trimPassage } from './passage.ts';

/** One ranked clause, quoted and cited. */
export interface SearchHit {
  clause: Clause;
  doc: PolicyDocument;
  file: CorpusFile;
  score: number;
  /** Verbatim passage (trimmed around the match with "…" when the clause is long). */
  passage: string;
  /**
   * For a clause reference: every clause of the unit it names (an article with its 款 and 项), in
   * document order; the passage then quotes them all, one per line.
   */
  unit?: Clause[];
  citation: Citation;
}

export type { AnswerBasis };

/** The answer to one question: quoted, cited hits, or answered=false with the reason. */
export interface SearchResponse {
  query: string;
  answered: boolean;
  basis: AnswerBasis;
  hits: SearchHit[];
  analyzed: AnalyzedQuery;
  /** The abstention model's probability that the first hit answers. */
  confidence: number;
}

/**
 * Answers a question for every caller (chat, CLI, push, evaluation): the search ranks clause
 * ids, this turns them into verbatim passages and citations.
 */
export function answerQuestion(index: SearchIndex, question: string, opts: AnswerOptions = {}): SearchResponse {
  return quoteResult(index, searchClauses(index, question, opts), opts);
}

/** Search options plus how long a quoted passage may be. */
export interface AnswerOptions extends SearchOptions {
  /** Longest passage quoted from one clause before it is trimmed around the match (default 600). */
  maxPassage?: number;
}

/** Quotes and cites the ranked clauses of a search result. */
export function quoteResult(index: SearchIndex, r: SearchResult, opts: Pick<AnswerOptions, 'maxPassage'> = {}): SearchResponse {
  return {
    query: r.query,
    answered: r.answered,
    basis: r.basis,
    analyzed: r.analyzed,
    confidence: r.confidence,
    hits:
      r.basis === 'clause-ref' && r.ranked.length > 0
        ? [
            quoteUnit(
              index,
              r.ranked.map((c) => c.id),
            ),
          ]
        : r.ranked.map((c) => quoteClause(index, c.id, c.score, r.analyzed, opts.maxPassage)),
  };
}

/** Longest passage quoted for a referenced unit; a longer unit is cut at a clause boundary with "…". */
export const MAX_UNIT_PASSAGE = 1500;

/**
 * The unit a clause reference names, as one hit: all its clauses, one per line, cited as its
 * first clause ("第六条" answers with the article and its items, not with the article's first line).
 */
export function quoteUnit(index: SearchIndex, ids: number[]): SearchHit {
  const first = index.clauses[ids[0]!]!;
  const d = index.docs[first.doc]!;
  const unit = ids.map((id) => index.clauses[id]!.clause);
  let passage = '';
  for (const c of unit) {
    const next = passage ? `${passage}\n${c.text}` : c.text;
    if (next.length > MAX_UNIT_PASSAGE && passage) {
      passage += '\n…';
      break;
    }
    passage = next;
  }
  return { clause: first.clause, doc: d.doc, file: d.file, score: 1, passage, citation: citeClause(first.clause, d.doc, d.file), unit };
}

/**
 * One clause as a hit: the passage trimmed around the question's words, with its list context (the
 * lead-in above a list item, the items below a lead-in: see ./list-context.ts), and its citation.
 */
export function quoteClause(index: SearchIndex, id: number, score: number, q: AnalyzedQuery, maxPassage = 600): SearchHit {
  const ic = index.clauses[id]!;
  const d = index.docs[ic.doc]!;
  const own = trimPassage(
    ic.clause.text,
    (s) => {
      const k = normalizeKey(index.tools.toSimplified(s));
      return q.groups.reduce((n, g) => n + groupMatch(g, bigramsOf(g.text), k) * Math.max(1, g.text.length), 0);
    },
    maxPassage,
  );
  const passage = withListContext(own, listContext(index, id), maxPassage);
  return { clause: ic.clause, doc: d.doc, file: d.file, score: Math.round(score * 1000) / 1000, passage, citation: citeClause(ic.clause, d.doc, d.file) };
}
