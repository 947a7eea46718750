import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { PolicyBotError } from '../errors.ts';
import { decodeBulletin } from '../ingest/decode.ts';
import { applyPages, readPageMap } from '../ingest/page-map.ts';
import { parseBulletin } from '../ingest/parse.ts';
import { prepareSource, type SourceFormat } from '../ingest/source.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { dataPaths } from './paths.ts';
import type { Corpus, CorpusFile, ParsedFile } from './types.ts';

// what the data directory stores: markdown and text (PDFs and web pages are stored converted)
const EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

/** What identifies a file's content: its issue, or the 文号 of its single documents. */
export function fileIdentity(p: ParsedFile): string {
  if (p.issue) return `issue:${p.issue.publication}:${p.issue.year}:${p.issue.number}`;
  return `docs:${p.documents.map((d) => d.docNumber).sort().join(',')}`;
}

/**
 * Parses stored markdown bytes into a corpus file, throwing PolicyBotError for anything unusable.
 * Text converted from a PDF carries a page map (see ingest/page-map.ts): its clauses get pages.
 */
export function parseFileBytes(bytes: Uint8Array, name: string): CorpusFile {
  const text = decodeBulletin(bytes, name);
  const map = readPageMap(text);
  const parsed = parseBulletin(map ? map.text : text, name);
  if (map?.pageAt) applyPages(parsed, map.pageAt);
  return { ...parsed, file: basename(name), hash: createHash('sha256').update(bytes).digest('hex') };
}

/** Any accepted source file (markdown, text, PDF, web page), converted and parsed. */
export interface ParsedSource {
  file: CorpusFile;
  format: SourceFormat;
  /** The markdown bytes that are stored for it. */
  stored: Uint8Array;
}

/** Converts (PDF, web page) and parses a source file; throws PolicyBotError when it is unusable. */
export async function parseSourceBytes(bytes: Uint8Array, name: string): Promise<ParsedSource> {
  const prepared = await prepareSource(bytes, name);
  const file = parseFileBytes(prepared.stored, name);
  file.warnings.unshift(...prepared.warnings);
  return { file, format: prepared.format, stored: prepared.stored };
}

/** Loads every bulletin and document file of the data directory. */
export async function loadCorpus(dataDir: string): Promise<Corpus> {
  const dir = dataPaths(dataDir).bulletins;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { files: [] };
    throw e;
  }
  const files: CorpusFile[] = [];
  for (const n of names) files.push(parseFileBytes(await readFile(join(dir, n)), n));
  return { files };
}

/** Outcome of ingesting one file. */
export interface IngestOutcome {
  source: string;
  status: 'added' | 'replaced' | 'unchanged';
  file: CorpusFile;
  /** The stored file name it replaced, for 'replaced'. */
  replaced?: string;
}

/**
 * Adds one file to the data directory after parsing it; a PDF or web page is stored as the
 * markdown it converts to. The same content again changes
 * nothing; a revised version of the same issue (or same documents) replaces the earlier file.
 * A file that does not parse throws before anything is written.
 */
export async function ingestFile(dataDir: string, sourcePath: string, bytes?: Uint8Array): Promise<IngestOutcome> {
  let data: Uint8Array;
  try {
    data = bytes ?? (await readFile(sourcePath));
  } catch (e) {
    throw new PolicyBotError('INPUT_UNREADABLE', `${sourcePath}: cannot read the file (${(e as Error).message})`, { source: sourcePath });
  }
  const { file: parsed, stored } = await parseSourceBytes(data, sourcePath);
  const corpus = await loadCorpus(dataDir);
  const identity = fileIdentity(parsed);
  const same = corpus.files.find((f) => fileIdentity(f) === identity);
  const dir = dataPaths(dataDir).bulletins;
  if (same && same.hash === parsed.hash) return { source: sourcePath, status: 'unchanged', file: same };
  if (same) {
    await writeFileAtomic(join(dir, same.file), stored);
    return { source: sourcePath, status: 'replaced', file: { ...parsed, file: same.file }, replaced: same.file };
  }
  let name = storedName(sourcePath);
  const taken = new Set(corpus.files.map((f) => f.file));
  for (let n = 2; taken.has(name); n++) name = `${basename(name, extname(name))}-${n}${extname(name)}`;
  await writeFileAtomic(join(dir, name), stored);
  return { source: sourcePath, status: 'added', file: { ...parsed, file: name } };
}

function storedName(sourcePath: string): string {
  const ext = EXTENSIONS.has(extname(sourcePath).toLowerCase()) ? extname(sourcePath).toLowerCase() : '.md';
  const base = basename(sourcePath, extname(sourcePath)).replace(/[^\p{L}\p{N}_.-]+/gu, '_') || 'bulletin';
  return `${base}${ext}`;
}
