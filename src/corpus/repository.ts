import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { PolicyBotError } from '../errors.ts';
import { decodeBulletin } from '../ingest/decode.ts';
import { parseBulletin } from '../ingest/parse.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { dataPaths } from './paths.ts';
import type { Corpus, CorpusFile, ParsedFile } from './types.ts';

const EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

/** What identifies a file's content: its issue, or the 文号 of its single documents. */
export function fileIdentity(p: ParsedFile): string {
  if (p.issue) return `issue:${p.issue.publication}:${p.issue.year}:${p.issue.number}`;
  return `docs:${p.documents.map((d) => d.docNumber).sort().join(',')}`;
}

/** Parses bytes into a corpus file, throwing PolicyBotError for anything unusable. */
export function parseFileBytes(bytes: Uint8Array, name: string): CorpusFile {
  const text = decodeBulletin(bytes, name);
  const parsed = parseBulletin(text, name);
  return { ...parsed, file: basename(name), hash: createHash('sha256').update(bytes).digest('hex') };
}

/** Names of the bulletin and document files of the data directory, sorted (none when it has no folder). */
export async function corpusFileNames(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(dataPaths(dataDir).bulletins)).filter((n) => EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Loads every bulletin and document file of the data directory. */
export async function loadCorpus(dataDir: string): Promise<Corpus> {
  const dir = dataPaths(dataDir).bulletins;
  const names = await corpusFileNames(dataDir);
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
 * Adds one file to the data directory after parsing it. The same content again changes
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
  const parsed = parseFileBytes(data, sourcePath);
  const corpus = await loadCorpus(dataDir);
  const identity = fileIdentity(parsed);
  const same = corpus.files.find((f) => fileIdentity(f) === identity);
  const dir = dataPaths(dataDir).bulletins;
  if (same && same.hash === parsed.hash) return { source: sourcePath, status: 'unchanged', file: same };
  if (same) {
    await writeFileAtomic(join(dir, same.file), data);
    return { source: sourcePath, status: 'replaced', file: { ...parsed, file: same.file }, replaced: same.file };
  }
  let name = storedName(sourcePath);
  const taken = new Set(corpus.files.map((f) => f.file));
  for (let n = 2; taken.has(name); n++) name = `${basename(name, extname(name))}-${n}${extname(name)}`;
  await writeFileAtomic(join(dir, name), data);
  return { source: sourcePath, status: 'added', file: { ...parsed, file: name } };
}

function storedName(sourcePath: string): string {
  const ext = EXTENSIONS.has(extname(sourcePath).toLowerCase()) ? extname(sourcePath).toLowerCase() : '.md';
  const base = basename(sourcePath, extname(sourcePath)).replace(/[^\p{L}\p{N}_.-]+/gu, '_') || 'bulletin';
  return `${base}${ext}`;
}
