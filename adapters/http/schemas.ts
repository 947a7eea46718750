import { z } from 'zod';

/**
 * The JSON the API answers with, as zod schemas: the OpenAPI description is generated from them
 * (z.toJSONSchema) and the API tests parse every real response with them, so the description
 * cannot drift from what the server sends. Objects are strict: an undescribed field fails a test.
 */
const str = z.string();
const int = z.number().int().nonnegative();

export const CitationSchema = z
  .object({
    docNumber: str.describe('文号; "" for a law or regulation without one'),
    docTitle: str,
    heading: str.describe('headings above the clause, joined with " > "'),
    label: str.describe('the full citation line'),
    bulletin: str,
    pages: str,
  })
  .strict();

export const AnswerSchema = z
  .object({
    query: str,
    answered: z.boolean(),
    results: z.array(z.object({ text: str.describe('the clause, verbatim (trimmed with … when long)'), score: z.number(), citation: CitationSchema }).strict()),
  })
  .strict()
  .describe('the same object as one line of `policybot ask --json`');

export const HealthSchema = z.object({ status: z.literal('ok'), files: int, documents: int, clauses: int }).strict();

export const DocumentSummarySchema = z
  .object({
    key: str.describe('what /doc/{key} and /api/documents/{id} take: the 文号, or the title of a document without one'),
    docNumber: str,
    title: str,
    bulletin: str,
    date: str.nullable(),
    pages: str,
    clauses: int,
    file: str.describe('stored file under bulletins/'),
  })
  .strict();
export const DocumentListSchema = z.object({ documents: z.array(DocumentSummarySchema) }).strict();

export const DocumentSchema = z
  .object({
    key: str,
    docNumber: str,
    title: str,
    bulletin: str,
    pages: str,
    signer: str.nullable(),
    signDate: str.nullable(),
    attachments: z.array(str),
    outline: z.array(z.object({ depth: int, heading: str, clauses: int }).strict()),
    clauses: z.array(z.object({ id: str, label: str, heading: str, href: str.describe('console link /doc/{key}#c{n}') }).strict()),
  })
  .strict();

export const ClauseSchema = z
  .object({
    id: str,
    docNumber: str,
    label: str,
    headings: z.array(str),
    text: str,
    kind: z.enum(['paragraph', 'item', 'list-entry', 'table-row']),
    citation: CitationSchema,
    cite: str.describe('what staff paste: 正文 —— citation'),
    href: str,
  })
  .strict();

export const IngestSummarySchema = z
  .object({
    status: z.enum(['added', 'replaced', 'unchanged']),
    format: z.enum(['text', 'pdf', 'html']).describe('what the upload was read as; a PDF or web page is stored as the markdown it converts to'),
    file: str.describe('name stored under bulletins/'),
    replaced: str.nullable().describe('stored files it replaced (kept under state/replaced/)'),
    bulletin: str,
    documents: z.array(z.object({ key: str, docNumber: str, title: str, clauses: int, pages: str }).strict()),
    warnings: z.array(z.object({ line: int, message: str }).strict()),
  })
  .strict();

export const UnansweredListSchema = z.object({ unanswered: z.array(z.object({ query: str, count: int, lastAt: str }).strict()) }).strict();

export const FeedbackListSchema = z
  .object({ feedback: z.array(z.object({ channel: str, query: str, clauseId: str, useful: z.boolean(), at: str }).strict().describe('no chat or user ids')) })
  .strict();

export const PushRecordSchema = z
  .object({
    issueKey: str,
    title: str,
    state: z.enum(['announced', 'sending']).describe('announced: every delivery done; sending: some still pending'),
    sent: int,
    failed: int,
    pending: int,
    at: str.nullable().describe('when it was announced'),
  })
  .strict();

export const SubscribersSchema = z
  .object({
    active: int,
    inactive: int,
    channels: z
      .record(str, z.object({ active: int, topics: z.record(str, int) }).strict())
      .describe('per channel: active subscribers and their topics (no chat ids)'),
    pushes: z.array(PushRecordSchema).describe('push history, under way first, then newest first'),
  })
  .strict();

export const BroadcastSchema = z
  .object({
    issueKey: str,
    sent: int,
    failed: int.describe('failed for good (blocked, chat gone)'),
    retrying: int.describe('failed temporarily: retried by a later cycle'),
    pendingByChannel: z.record(str, int),
    announced: z.boolean(),
    stoppedBy: str.optional().describe('why this run stopped early (an outage, a refused token)'),
  })
  .strict();

export const PushSummarySchema = z
  .object({
    dryRun: z.boolean(),
    ingested: z.array(str),
    rejected: int,
    feedErrors: z.array(str),
    broadcasts: z.array(BroadcastSchema),
    previews: z.array(z.object({ issueKey: str, subscribers: int, sample: str.describe('the first message as it will read') }).strict()),
  })
  .strict();

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of a response schema. */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
  return rest;
}
