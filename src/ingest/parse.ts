import type { ParsedFile, ParseWarning, PolicyDocument } from '../corpus/types.ts';
import { PolicyBotError } from '../errors.ts';
import { normalizeKey, stripControlChars } from '../text/normalize.ts';
import { splitBlocks } from './blocks.ts';
import { findDocumentSpans, findUnnumberedDocument, parseDocument } from './documents.ts';
import { parseIssueHeader } from './issue-header.ts';
import { parseToc } from './toc.ts';

/**
 * Version of what parseBulletin produces: bump it whenever a change to ingestion changes its
 * output, so that cached parses (src/corpus/manifest.ts) are made again.
 */
export const PARSER_VERSION = 11;

/**
 * Parses one markdown file — a bulletin issue with its table of contents, or a single policy
 * document — into documents and clauses. Documents without 文号 (laws, 条例, 规定 …) are
 * known by their title and history. Throws PolicyBotError (NO_DOCUMENT, DOCNUMBER_MISSING)
 * when there is nothing citable; oddities that do not stop parsing become warnings.
 */
export function parseBulletin(markdown: string, source = 'input'): ParsedFile {
  const warnings: ParseWarning[] = [];
  const blocks = splitBlocks(stripControlChars(markdown));
  if (blocks.length === 0) throw new PolicyBotError('INPUT_EMPTY', `${source}: the file has no text`, { source });
  const toc = parseToc(blocks, warnings);
  const bodyFrom = toc ? toc.end : 0;
  let spans = findDocumentSpans(blocks, bodyFrom);
  // a law or regulation: title, dated history lines, articles — no 文号
  const unnumbered = toc ? undefined : findUnnumberedDocument(blocks);
  if (unnumbered && (spans.length === 0 || (unnumbered.history?.lines.length ?? 0) > 0)) spans = [unnumbered];
  if (spans.length === 0) {
    const heading = blocks.find(
      (b) => (b.kind === 'heading' || (b.kind === 'para' && b.text.length <= 80 && !/[。；：:，]/.test(b.text))) && !/公报|目\s*录/.test(b.text),
    );
    const hasBody = blocks.some((b) => b.kind === 'para' && b.text.length > 30);
    if (heading && hasBody) {
      throw new PolicyBotError(
        'DOCNUMBER_MISSING',
        `${source}:${heading.line}: 《${heading.text}》 has no 文号 line and is not a law or regulation (no dated history line such as "2008年7月25日 …会议通过", no 第X条 articles); put a line such as 川办发〔2013〕52号 right under the title`,
        { source, line: heading.line },
      );
    }
    throw new PolicyBotError(
      'NO_DOCUMENT',
      `${source}: no document found; expected its title on the first line (a heading or a short line, not a sentence) and its text below — a 文号 line (川办发〔2013〕52号) or dated history lines (2008年7月25日 …会议通过) may follow the title but are not required`,
      { source },
    );
  }
  const issue = parseIssueHeader(blocks.slice(0, toc ? toc.start + 1 : spans[0]!.titleStart), warnings);
  const documents: PolicyDocument[] = [];
  spans.forEach((span, n) => {
    const end = n + 1 < spans.length ? spans[n + 1]!.titleStart : blocks.length;
    if (span.docNumber && documents.some((d) => d.docNumber === span.docNumber)) {
      warnings.push({ line: blocks[span.numberAt]!.line, message: `${span.docNumber} appears twice; the second is ignored` });
      return;
    }
    documents.push(parseDocument(blocks, span, end, warnings));
  });
  const entries = toc?.entries ?? [];
  assignPages(documents, entries, warnings);
  return { ...(issue ? { issue } : {}), toc: entries, documents, warnings };
}

/** Page ranges and categories come from the table of contents, matched by 文号, else by title. */
function assignPages(documents: PolicyDocument[], toc: ParsedFile['toc'], warnings: ParseWarning[]): void {
  const starts = [...new Set(toc.map((e) => e.page))].sort((a, b) => a - b);
  for (const e of toc) {
    const doc = documents.find((d) => e.docNumber && d.docNumber === e.docNumber) ?? documents.find((d) => normalizeKey(d.title) === normalizeKey(e.title));
    if (!doc) {
      warnings.push({ line: 0, message: `table of contents lists 《${e.title}》 ${e.docNumber ?? ''} but its text is missing` });
      continue;
    }
    const next = starts.find((p) => p > e.page);
    doc.pages = next === undefined ? { start: e.page } : { start: e.page, end: next - 1 };
    if (e.category) doc.category = e.category;
    if (e.docNumber && normalizeKey(e.title) !== normalizeKey(doc.title)) {
      warnings.push({ line: doc.line, message: `${doc.docNumber}: title differs from the table of contents (《${e.title}》)` });
    }
  }
  if (toc.length > 0) {
    for (const d of documents) if (!d.pages) warnings.push({ line: d.line, message: `${d.docNumber} is not in the table of contents` });
  }
}
