import { bulletinName, formatPages, pagesLabel } from '../answer/citation.ts';
import { documentOutline } from '../answer/outline.ts';
import { openCorpus } from '../corpus/open.ts';
import { ingestFile } from '../corpus/repository.ts';
import type { Corpus } from '../corpus/types.ts';
import { isPolicyBotError } from '../errors.ts';
import { answerQuestion } from '../answer/answer.ts';
import { findDocument } from '../search/documents.ts';
import type { CliIO } from './io.ts';

/** `policybot ingest FILE...`: parse, validate, summarise, add to the data directory. */
export async function ingestCommand(io: CliIO, dataDir: string, files: string[]): Promise<number> {
  if (files.length === 0) {
    io.err('usage: policybot ingest FILE...\n');
    return 2;
  }
  let failed = 0;
  for (const f of files) {
    try {
      const r = await ingestFile(dataDir, f);
      const p = r.file;
      const clauses = p.documents.reduce((s, d) => s + d.clauses.length, 0);
      const what = p.issue ? `${bulletinName(p.issue)}${p.issue.date ? ` ${p.issue.date}` : ''}` : '单独文件';
      const verb = { added: 'added', replaced: `replaced ${r.replaced}`, unchanged: 'unchanged (already ingested)' }[r.status];
      io.out(`${f}: ${verb} → ${p.file}\n  ${what}: ${p.documents.length} documents, ${clauses} clauses, ${p.warnings.length} warnings\n`);
      for (const d of p.documents) io.out(`  ${d.docNumber}  ${d.title}  (${d.clauses.length} clauses${d.pages ? `, p. ${formatPages(d.pages)}` : ''})\n`);
      for (const w of p.warnings) io.out(`  warning${w.line ? ` (line ${w.line})` : ''}: ${w.message}\n`);
    } catch (e) {
      failed++;
      if (isPolicyBotError(e)) io.err(`rejected ${e.code}: ${e.message}\n`);
      else throw e;
    }
  }
  return failed > 0 ? 1 : 0;
}

/** The `docs --json` shape; its field names are read by external checks. */
export function docsJson(corpus: Corpus): unknown {
  const doc = (d: Corpus['files'][number]['documents'][number]) => ({
    docNumber: d.docNumber,
    title: d.title,
    pages: formatPages(d.pages),
    clauses: d.clauses.length,
  });
  const issues = corpus.files
    .filter((f) => f.issue)
    .map((f) => ({
      publication: f.issue!.publication,
      year: f.issue!.year,
      number: f.issue!.number,
      total: f.issue!.total ?? null,
      date: f.issue!.date ?? null,
      documents: f.documents.map(doc),
    }))
    .sort((a, b) => a.year - b.year || a.number - b.number);
  const documents = corpus.files.filter((f) => !f.issue).flatMap((f) => f.documents.map(doc));
  return { issues, documents };
}

/** `policybot docs [--json]`: lists issues and their documents. */
export async function docsCommand(io: CliIO, dataDir: string, json: boolean): Promise<number> {
  const { corpus } = await openCorpus(dataDir);
  if (json) {
    io.out(`${JSON.stringify(docsJson(corpus))}\n`);
    return 0;
  }
  if (corpus.files.length === 0) io.out(`no documents in ${dataDir}; add some with: policybot ingest FILE\n`);
  for (const f of corpus.files) {
    io.out(`${f.issue ? `${bulletinName(f.issue)}${f.issue.date ? `  ${f.issue.date}` : ''}` : '单独文件'}  [${f.file}]\n`);
    for (const d of f.documents) {
      io.out(`  ${d.docNumber}  ${d.title}${d.pages ? `  ${pagesLabel(d.pages)}` : ''}  ${d.clauses.length}条\n`);
    }
  }
  return 0;
}

/** `policybot show <文号> [clause path]`: a document outline, or one clause with its citation. */
export async function showCommand(io: CliIO, dataDir: string, args: string[]): Promise<number> {
  const [number, ...rest] = args;
  if (!number) {
    io.err('usage: policybot show <文号 or title> [clause path], e.g. policybot show 川办发〔2013〕52号 （十四）\n');
    return 2;
  }
  const { index } = await openCorpus(dataDir);
  const hit = findDocument(index, number);
  const found = hit ? { d: hit.doc, f: hit.file } : undefined;
  if (!found) {
    io.err(`DOC_NOT_FOUND: no document ${number} in ${dataDir}; see: policybot docs\n`);
    return 1;
  }
  const { d, f } = found;
  if (rest.length === 0) {
    io.out(`《${d.title}》（${d.docNumber}）\n`);
    if (f.issue) io.out(`${bulletinName(f.issue)}${d.pages ? ` ${pagesLabel(d.pages)}` : ''}\n`);
    if (d.signer || d.signDate) io.out(`${d.signer ?? ''} ${d.signDate ?? ''}\n`.trimStart());
    io.out('\n');
    for (const e of documentOutline(d)) io.out(`${'  '.repeat(e.depth)}${e.heading}${e.clauses ? `  (${e.clauses})` : ''}\n`);
    return 0;
  }
  const r = answerQuestion(index, `${d.docNumber} ${rest.join(' ')}`, { limit: 50 });
  if (!r.answered || r.basis !== 'clause-ref') {
    io.err(`CLAUSE_NOT_FOUND: ${d.docNumber} has no clause ${rest.join(' ')}; see: policybot show ${d.docNumber}\n`);
    return 1;
  }
  for (const h of r.hits) io.out(`${h.clause.text}\n`);
  io.out(`—— ${r.hits[0]!.citation.label}\n`);
  return 0;
}
