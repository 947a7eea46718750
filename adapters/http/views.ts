import { bulletinName, citeClause, formatPages, type Citation } from '../../src/answer/citation.ts';
import { documentOutline, type OutlineEntry } from '../../src/answer/outline.ts';
import type { OpenCorpus } from '../../src/corpus/open.ts';
import { fileIdentity } from '../../src/corpus/repository.ts';
import type { Clause, CorpusFile, PolicyDocument } from '../../src/corpus/types.ts';
import type { SearchIndex } from '../../src/search/inverted-index.ts';
import type { Unanswered } from '../../src/store/schema.ts';
import type { Store } from '../../src/store/store.ts';

/** The anchor of a clause on its document page: /doc/:docKey#c<position>. */
export function clauseAnchor(doc: PolicyDocument, clause: Clause): string {
  return `c${doc.clauses.indexOf(clause) + 1}`;
}

/** The console link of a clause. */
export function clauseHref(doc: PolicyDocument, clause: Clause): string {
  return `${docHref(doc)}#${clauseAnchor(doc, clause)}`;
}

/** What staff paste: "正文 —— 《标题》（文号）条款 · 公报 · 页". */
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

/**
 * The console page of a document: /doc/:docKey, the 文号 when it has one, else its title (with
 * "@date" of its latest revision when dated), so laws and regulations without 文号 have pages too.
 */
export function docHref(doc: Pick<PolicyDocument, 'docKey'>): string {
  return `/doc/${encodeURIComponent(doc.docKey)}`;
}

/** Finds a document by its key (the 文号, or the title of a document without one). */
export function findDocument(index: SearchIndex, key: string): { doc: PolicyDocument; file: CorpusFile } | undefined {
  const d = index.docs.find((x) => x.doc.docKey === key) ?? index.docs.find((x) => !x.doc.docNumber && x.doc.title === key);
  return d ? { doc: d.doc, file: d.file } : undefined;
}

/** One row of the document list. */
export interface DocumentSummary {
  /** What /doc/:key and /api/documents/:key take: the 文号, or the title of a document without one. */
  key: string;
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
      key: d.docKey,
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
    key: doc.docKey,
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
export async function unansweredList(store: Store, limit = 200): Promise<Unanswered[]> {
  return (await store.stats()).unanswered.slice(0, limit);
}

/** Feedback, newest first; `useful` filters 👍 (true) or 👎 (false). No chat or user ids. */
export async function feedbackList(store: Store, useful?: boolean, limit = 200) {
  const list = await store.feedback({ ...(useful === undefined ? {} : { useful }), limit });
  return list.map((f) => ({ channel: f.channel, query: f.query, clauseId: f.clauseId, useful: f.useful, at: f.at }));
}

/** Subscriber counts per channel and topic (no chat ids: they identify people). */
export async function subscriberCounts(store: Store) {
  const all = await store.subscribers();
  const active = all.filter((s) => s.active);
  const channels: Record<string, { active: number; topics: Record<string, number> }> = {};
  for (const s of active) {
    const ch = (channels[s.channel] ??= { active: 0, topics: {} });
    ch.active++;
    for (const t of s.topics.length ? s.topics : ['（全部）']) ch.topics[t] = (ch.topics[t] ?? 0) + 1;
  }
  return { active: active.length, inactive: all.length - active.length, channels };
}

/** One issue's push: done (announced) or under way, with its delivery counts. */
export interface PushRecord {
  issueKey: string;
  title: string;
  /** announced: every delivery done; sending: some still pending or claimed. */
  state: 'announced' | 'sending';
  sent: number;
  failed: number;
  pending: number;
  /** When it was announced (null while sending). */
  at: string | null;
}

/**
 * Push history, newest first: every announced issue with its totals, then (first) the issues of
 * the corpus whose deliveries are still under way. Issues recorded as announced on the first
 * run, without a broadcast (0 sent, 0 failed), are left out.
 */
export async function pushHistory(store: Store, open: OpenCorpus): Promise<PushRecord[]> {
  const titles = new Map(
    open.corpus.files.map((f) => [fileIdentity(f), f.issue ? bulletinName(f.issue) : f.documents.map((d) => d.docNumber || `《${d.title}》`).join('、')]),
  );
  const title = (k: string): string => titles.get(k) ?? k;
  const done = (await store.announcements())
    .filter((a) => a.sent + a.failed > 0)
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((a): PushRecord => ({ issueKey: a.issueKey, title: title(a.issueKey), state: 'announced', sent: a.sent, failed: a.failed, pending: 0, at: a.at }));
  const announced = new Set(await store.announced());
  const sending: PushRecord[] = [];
  for (const k of titles.keys()) {
    if (announced.has(k)) continue;
    const p = await store.progress(k);
    const open = p.pending + p.claimed;
    if (open + p.sent + p.failed > 0) sending.push({ issueKey: k, title: title(k), state: 'sending', sent: p.sent, failed: p.failed, pending: open, at: null });
  }
  return [...sending, ...done];
}
