import { bulletinName, citeClause, formatPages, type Citation } from '../../src/answer/citation.ts';
import { documentOutline, type OutlineEntry } from '../../src/answer/outline.ts';
import type { OpenCorpus } from '../../src/corpus/open.ts';
import { fileIdentity } from '../../src/corpus/repository.ts';
import type { Clause, CorpusFile, PolicyDocument } from '../../src/corpus/types.ts';
import type { SearchIndex } from '../../src/search/index.ts';
import type { StoreData } from '../../src/store/schema.ts';

/** The anchor of a clause on its document page: /doc/:docNumber#c<position>. */
export function clauseAnchor(doc: PolicyDocument, clause: Clause): string {
  return `c${doc.clauses.indexOf(clause) + 1}`;
}

/** The console link of a clause. */
export function clauseHref(doc: PolicyDocument, clause: Clause): string {
  return `/doc/${encodeURIComponent(doc.docNumber)}#${clauseAnchor(doc, clause)}`;
}

/** What staff paste: "正文 —— 《标题》（文号）条款 · 公报 页". */
export function citationText(clause: Clause, citation: Citation): string {
  return `${clause.text} —— ${citation.label}`;
}

const byId = new WeakMap<SearchIndex, Map<string, { clause: Clause; doc: PolicyDocument; file: CorpusFile }>>();

/** Finds a clause by its stable id. */
export function findClause(index: SearchIndex, id: string): { clause: Clause; doc: PolicyDocument; file: CorpusFile } | undefined {
  let m = byId.get(index);
  if (!m) {
    m = new Map();
    for (const d of index.docs) for (const c of d.doc.clauses) m.set(c.id, { clause: c, doc: d.doc, file: d.file });
    byId.set(index, m);
  }
  return m.get(id);
}

/** Finds a document by its exact 文号. */
export function findByNumber(index: SearchIndex, docNumber: string): { doc: PolicyDocument; file: CorpusFile } | undefined {
  const d = index.docs.find((x) => x.doc.docNumber === docNumber);
  return d ? { doc: d.doc, file: d.file } : undefined;
}

/** One row of the document list. */
export interface DocumentSummary {
  docNumber: string;
  title: string;
  bulletin: string;
  date: string | null;
  pages: string;
  clauses: number;
  file: string;
}

/** Every document, newest issue first, standalone documents last. */
export function documentList(open: OpenCorpus): DocumentSummary[] {
  const files = [...open.corpus.files].sort(
    (a, b) => (b.issue?.year ?? -1) - (a.issue?.year ?? -1) || (b.issue?.number ?? -1) - (a.issue?.number ?? -1) || a.file.localeCompare(b.file),
  );
  return files.flatMap((f) =>
    f.documents.map((d) => ({
      docNumber: d.docNumber,
      title: d.title,
      bulletin: bulletinName(f.issue),
      date: f.issue?.date ?? d.signDate ?? null,
      pages: formatPages(d.pages),
      clauses: d.clauses.length,
      file: f.file,
    })),
  );
}

/** A clause as the API returns it. */
export function clauseJson(clause: Clause, doc: PolicyDocument, file: CorpusFile) {
  const citation = citeClause(clause, doc, file);
  return {
    id: clause.id,
    docNumber: doc.docNumber,
    label: clause.label,
    headings: clause.headings,
    text: clause.text,
    kind: clause.kind,
    citation,
    cite: citationText(clause, citation),
    href: clauseHref(doc, clause),
  };
}

/** A document with its outline and clause ids, for GET /api/documents/:id. */
export function documentJson(doc: PolicyDocument, file: CorpusFile) {
  return {
    docNumber: doc.docNumber,
    title: doc.title,
    bulletin: bulletinName(file.issue),
    pages: formatPages(doc.pages),
    signer: doc.signer ?? null,
    signDate: doc.signDate ?? null,
    attachments: doc.attachments,
    outline: documentOutline(doc) satisfies OutlineEntry[],
    clauses: doc.clauses.map((c) => ({ id: c.id, label: c.label, heading: c.headings.join(' > '), href: clauseHref(doc, c) })),
  };
}

/** Questions nobody could answer, most frequent first. */
export function unansweredList(data: Readonly<StoreData>, limit = 200) {
  return [...data.unanswered].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)).slice(0, limit);
}

/** Feedback, newest first; `useful` filters 👍 (true) or 👎 (false). */
export function feedbackList(data: Readonly<StoreData>, useful?: boolean, limit = 200) {
  return data.feedback
    .filter((f) => useful === undefined || f.useful === useful)
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, limit)
    .map((f) => ({ channel: f.channel, query: f.query, clauseId: f.clauseId, useful: f.useful, at: f.at }));
}

/** Subscriber counts per channel and topic (no chat ids: they identify people). */
export function subscriberCounts(data: Readonly<StoreData>) {
  const active = data.subscribers.filter((s) => s.active);
  const channels: Record<string, { active: number; topics: Record<string, number> }> = {};
  for (const s of active) {
    const ch = (channels[s.channel] ??= { active: 0, topics: {} });
    ch.active++;
    for (const t of s.topics.length ? s.topics : ['（全部）']) ch.topics[t] = (ch.topics[t] ?? 0) + 1;
  }
  return { active: active.length, inactive: data.subscribers.length - active.length, channels };
}

/** Push history: per issue, how many deliveries were sent and failed, and when the last one was. */
export function pushHistory(data: Readonly<StoreData>, open: OpenCorpus) {
  const titles = new Map(open.corpus.files.map((f) => [fileIdentity(f), f.issue ? bulletinName(f.issue) : f.documents.map((d) => d.docNumber).join('、')]));
  const by = new Map<string, { issueKey: string; title: string; sent: number; failed: number; lastAt: string }>();
  for (const d of data.deliveries) {
    const e = by.get(d.issueKey) ?? { issueKey: d.issueKey, title: titles.get(d.issueKey) ?? d.issueKey, sent: 0, failed: 0, lastAt: d.at };
    if (d.status === 'sent') e.sent++;
    else e.failed++;
    if (d.at > e.lastAt) e.lastAt = d.at;
    by.set(d.issueKey, e);
  }
  return [...by.values()].sort((a, b) => b.lastAt.localeCompare(a.lastAt));
}
