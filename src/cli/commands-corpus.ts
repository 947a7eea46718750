import { bulletinName, documentName, formatPages, pagesLabel } from '../answer/citation.ts';
import { documentOutline } from '../answer/outline.ts';
import { openCorpus } from '../corpus/open.ts';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { SOURCE_EXTENSIONS } from '../ingest/source.ts';
import { ingestFiles, type IngestOptions, type IngestOutcome } from '../corpus/repository.ts';
import type { Corpus } from '../corpus/types.ts';
import { PolicyBotError } from '../errors.ts';
import { answerQuestion } from '../answer/answer.ts';
import { findDocument } from '../search/documents.ts';
import type { CliIO } from './io.ts';
import { NUMERAL_CHAR } from '../text/numerals.ts';

/**
 * `policybot ingest [--replace] FILE...`: parse, validate, summarise, add to the data directory.
 * A batch is all or nothing: when any file is refused, each refusal is printed and nothing is added.
 */
export async function ingestCommand(io: CliIO, dataDir: string, files: string[], opts: IngestOptions = {}): Promise<number> {
  if (files.length === 0) {
    io.err('usage: policybot ingest [--replace] FILE...\n');
    return 2;
  }
  const started = performance.now();
  const { paths, skipped } = await expandDirectories(files);
  if (skipped.length > 0)
    io.out(`skipped ${skipped.length} files that are not documents: ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ', …' : ''}\n`);
  if (paths.length === 0) {
    io.err(`no document files in ${files.join(' ')} (markdown, text, PDF or web pages: ${[...SOURCE_EXTENSIONS].join(' ')})\n`);
    return 1;
  }
  const r = await ingestFiles(
    dataDir,
    paths.map((path) => ({ path })),
    opts,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!r.ok) {
    for (const f of r.failures) io.err(`rejected ${f.error.code}: ${f.error.message}\n`);
    io.err(
      `nothing ingested: ${r.failures.length} of ${paths.length} files refused (a batch is all or nothing; fix or leave out the refused files and run again)\n`,
    );
    return 1;
  }
  for (const o of r.outcomes) {
    const p = o.file;
    const clauses = p.documents.reduce((s, d) => s + d.clauses.length, 0);
    const what = p.issue ? `${bulletinName(p.issue)}${p.issue.date ? ` ${p.issue.date}` : ''}` : '单独文件';
    const verb = { added: 'added', replaced: `replaced ${o.replaced} (kept under state/replaced/)`, unchanged: 'unchanged (already ingested)' }[o.status];
    io.out(`${o.source}: ${verb} → ${p.file}\n  ${what}: ${p.documents.length} documents, ${clauses} clauses, ${p.warnings.length} warnings\n`);
    for (const d of p.documents) io.out(`  ${documentName(d)}  (${d.clauses.length} clauses${d.pages ? `, p. ${formatPages(d.pages)}` : ''})\n`);
    for (const w of p.warnings) io.out(`  warning${w.line ? ` (line ${w.line})` : ''}: ${w.message}\n`);
  }
  const count = (s: IngestOutcome['status']): number => r.outcomes.filter((o) => o.status === s).length;
  io.out(
    `accepted ${r.outcomes.length} of ${paths.length} files (added ${count('added')}, replaced ${count('replaced')}, unchanged ${count('unchanged')}), refused 0, in ${seconds} s\n`,
  );
  return 0;
}

/** Not documents, though they end in .md: a folder's README, SOURCES, LICENSE, CHANGELOG. */
const NOT_DOCUMENT = /^(?:readme|sources|license|licence|changelog)(?:\.|$)/i;

/**
 * A directory argument stands for the document files directly inside it — markdown, text, PDF
 * and web pages — in name order, without dot-files and without README/SOURCES/LICENSE/CHANGELOG;
 * the other files it holds are reported as skipped.
 */
async function expandDirectories(args: string[]): Promise<{ paths: string[]; skipped: string[] }> {
  const paths: string[] = [];
  const skipped: string[] = [];
  for (const a of args) {
    const isDir = await stat(a).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) {
      paths.push(a);
      continue;
    }
    for (const n of (await readdir(a, { withFileTypes: true })).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (!n.isFile()) continue;
      const ok = !n.name.startsWith('.') && SOURCE_EXTENSIONS.has(extname(n.name).toLowerCase()) && !NOT_DOCUMENT.test(n.name);
      (ok ? paths : skipped).push(ok ? join(a, n.name) : n.name);
    }
  }
  return { paths, skipped };
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
      io.out(`  ${d.docNumber ? `${d.docNumber}  ` : ''}${d.title}${d.pages ? `  ${pagesLabel(d.pages)}` : ''}  ${d.clauses.length}条\n`);
    }
  }
  return 0;
}

/** `policybot show <文号> [clause path]`: a document outline, or one clause with its citation. */
export async function showCommand(io: CliIO, dataDir: string, args: string[]): Promise<number> {
  const [number, ...rest] = splitClauseRef(args);
  if (!number) {
    io.err('usage: policybot show <文号 or title> [clause path], e.g. policybot show 川办发〔2013〕52号 （十四）\n');
    return 2;
  }
  const { index } = await openCorpus(dataDir);
  const hit = findDocument(index, number);
  const found = hit ? { d: hit.doc, f: hit.file } : undefined;
  if (!found) throw new PolicyBotError('DOC_NOT_FOUND', `no document ${number} in ${dataDir}; see: policybot docs`, { query: number });
  const { d, f } = found;
  if (rest.length === 0) {
    io.out(`${documentName(d)}\n`);
    for (const h of d.history ?? []) io.out(`${h}\n`);
    if (f.issue) io.out(`${bulletinName(f.issue)}${d.pages ? ` ${pagesLabel(d.pages)}` : ''}\n`);
    if (d.signer || d.signDate) io.out(`${d.signer ?? ''} ${d.signDate ?? ''}\n`.trimStart());
    io.out('\n');
    for (const e of documentOutline(d)) io.out(`${'  '.repeat(e.depth)}${e.heading}${e.clauses ? `  (${e.clauses})` : ''}\n`);
    return 0;
  }
  const r = answerQuestion(index, `${d.docNumber || d.title} ${rest.join(' ')}`, { limit: 50 });
  if (!r.answered || r.basis !== 'clause-ref' || r.hits[0]!.doc !== d) {
    throw new PolicyBotError('CLAUSE_NOT_FOUND', `${documentName(d)} has no clause ${rest.join(' ')}; see: policybot show ${d.docNumber || d.title}`, {
      doc: d.docKey,
      clause: rest.join(' '),
    });
  }
  for (const c of r.hits[0]!.unit ?? r.hits.map((h) => h.clause)) io.out(`${c.text}\n`);
  io.out(`—— ${r.hits[0]!.citation.label}\n`);
  return 0;
}

const N = `(?:${NUMERAL_CHAR}|\\d)+`;
/** "重庆市失业保险条例第十条第二款" typed as one word: the document, then the clause. */
const TRAILING_REF = new RegExp(`^(.+?)((?:附件${N})?第${N}条(?:第[（(]?${N}[)）]?[款项])*)$`, 'u');

/** Splits a document name with a clause reference glued to its end into two arguments. */
export function splitClauseRef(args: string[]): string[] {
  if (args.length !== 1) return args;
  const m = TRAILING_REF.exec(args[0]!);
  return m ? [m[1]!, m[2]!] : args;
}
