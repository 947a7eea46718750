import { copyFile, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { PolicyBotError, isPolicyBotError } from '../errors.ts';
import { prepareSource, type SourceFormat } from '../ingest/source.ts';
import { writeFileAtomic } from './atomic-write.ts';
import {
  DOCUMENT_EXTENSIONS,
  dropParsed,
  identityKeys,
  isLoadableName,
  parseFileBytes,
  syncManifest,
  writeManifest,
  writeParsed,
  type Manifest,
} from './manifest.ts';
import { dataPaths } from './paths.ts';
import type { Corpus, CorpusFile, ParsedFile } from './types.ts';

export { parseFileBytes } from './manifest.ts';

/** Largest file `ingest` accepts (50 MB): the longest real law is under 0.3 MB. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** What identifies a file's content: its issue, or the 文号 (title, when none) of its documents. */
export function fileIdentity(p: ParsedFile): string {
  if (p.issue) return `issue:${p.issue.publication}:${p.issue.year}:${p.issue.number}`;
  return `docs:${p.documents
    .map((d) => d.docKey || d.docNumber)
    .sort()
    .join(',')}`;
}

/** Names of the bulletin and document files of the data directory, sorted (none when it has no folder). */
export async function corpusFileNames(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(dataPaths(dataDir).bulletins)).filter(isLoadableName).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
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

/** Loads every bulletin and document file of the data directory (parses cached by content). */
export async function loadCorpus(dataDir: string): Promise<Corpus> {
  return { files: (await syncManifest(dataDir, true)).files };
}

/** Outcome of ingesting one file. */
export interface IngestOutcome {
  source: string;
  status: 'added' | 'replaced' | 'unchanged';
  file: CorpusFile;
  /** The stored file names it replaced, for 'replaced' (kept under state/replaced/). */
  replaced?: string;
}

/** One file to ingest: its path, and its bytes when they are already in memory. */
export interface IngestSource {
  path: string;
  bytes?: Uint8Array;
}

/** Options of an ingest. */
export interface IngestOptions {
  /**
   * Replace stored files that share an identity (文号, title of a document without 文号, or
   * bulletin issue) with different content; the old ones are kept under state/replaced/.
   */
  replace?: boolean;
}

/** Result of a batch: every outcome, or every failure (then nothing was written). */
export type BatchResult = { ok: true; outcomes: IngestOutcome[] } | { ok: false; failures: Array<{ source: string; error: PolicyBotError }> };

/**
 * Ingests a batch of files, all or nothing: every file is read, size-checked, parsed and checked
 * against the stored files (and the rest of the batch) first; only when all pass is anything
 * written. The same content again is 'unchanged'. A file sharing an identity with a stored file
 * of different content is refused (INGEST_CLASH) unless `replace`. Cost grows with the batch,
 * not with the corpus: stored files are known from the manifest, never re-parsed.
 */
export async function ingestFiles(dataDir: string, sources: IngestSource[], opts: IngestOptions = {}): Promise<BatchResult> {
  const { manifest } = await syncManifest(dataDir, false);
  const failures: Array<{ source: string; error: PolicyBotError }> = [];
  const byKey = new Map<string, string>();
  for (const [name, e] of Object.entries(manifest.files)) for (const k of e.keys) byKey.set(k, name);
  const byHash = new Map(Object.entries(manifest.files).map(([name, e]) => [e.hash, name]));
  const planned: Array<{ source: string; bytes: Uint8Array; parsed: CorpusFile; keys: string[]; replaces: string[] }> = [];
  const outcomes: IngestOutcome[] = [];
  const batchKeys = new Map<string, string>();
  for (const src of sources) {
    try {
      const raw = src.bytes ?? (await readSource(src.path));
      if (raw.byteLength > MAX_FILE_BYTES) throw tooLarge(src.path, raw.byteLength);
      // a PDF or web page is stored as the markdown it converts to
      const { file: parsed, stored: bytes } = await parseSourceBytes(raw, src.path);
      const hash = parsed.hash;
      const keys = identityKeys(parsed);
      const same = byHash.get(hash) ?? planned.find((p) => p.parsed.hash === hash)?.source;
      if (same) {
        outcomes.push({ source: src.path, status: 'unchanged', file: { ...parsed, file: basename(same) } });
        continue;
      }
      const clash = keys.find((k) => batchKeys.has(k));
      if (clash) throw clashError(src.path, clash, `${batchKeys.get(clash)} in the same batch`, false);
      const replaces = [...new Set(keys.flatMap((k) => (byKey.has(k) ? [byKey.get(k)!] : [])))];
      if (replaces.length > 0 && !opts.replace) {
        const k = keys.find((x) => byKey.has(x))!;
        throw clashError(src.path, k, `stored file ${byKey.get(k)}`, true);
      }
      for (const k of keys) batchKeys.set(k, src.path);
      planned.push({ source: src.path, bytes, parsed, keys, replaces });
    } catch (e) {
      if (!isPolicyBotError(e)) throw e;
      failures.push({ source: src.path, error: e });
    }
  }
  if (failures.length > 0) return { ok: false, failures };
  if (planned.length === 0) return { ok: true, outcomes };

  const paths = dataPaths(dataDir);
  await mkdir(paths.bulletins, { recursive: true });
  const taken = new Set(Object.keys(manifest.files));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const p of planned) {
    for (const old of p.replaces) {
      // keep the previous version, so a mistaken replacement can be undone
      const keep = join(paths.state, 'replaced', stamp, old);
      await mkdir(join(paths.state, 'replaced', stamp), { recursive: true });
      await copyFile(join(paths.bulletins, old), keep);
      await unlink(join(paths.bulletins, old));
      const oldHash = manifest.files[old]!.hash;
      delete manifest.files[old];
      taken.delete(old);
      if (!Object.values(manifest.files).some((e) => e.hash === oldHash)) await dropParsed(dataDir, oldHash);
    }
    const name = freeName(storedName(p.source, p.replaces[0]), taken);
    taken.add(name);
    await writeParsed(dataDir, p.parsed.hash, p.parsed);
    await writeFileAtomic(join(paths.bulletins, name), p.bytes);
    const st = await stat(join(paths.bulletins, name));
    manifest.files[name] = { hash: p.parsed.hash, size: st.size, mtimeMs: st.mtimeMs, keys: p.keys };
    const outcome: IngestOutcome = { source: p.source, status: p.replaces.length ? 'replaced' : 'added', file: { ...p.parsed, file: name } };
    if (p.replaces.length) outcome.replaced = p.replaces.join(', ');
    outcomes.push(outcome);
  }
  await writeManifest(dataDir, manifest satisfies Manifest);
  return { ok: true, outcomes };
}

/**
 * Adds one file (see ingestFiles); throws its PolicyBotError when it is refused, before
 * anything is written.
 */
export async function ingestFile(dataDir: string, sourcePath: string, bytes?: Uint8Array, opts: IngestOptions = {}): Promise<IngestOutcome> {
  const r = await ingestFiles(dataDir, [bytes ? { path: sourcePath, bytes } : { path: sourcePath }], opts);
  if (!r.ok) throw r.failures[0]!.error;
  return r.outcomes[0]!;
}

async function readSource(path: string): Promise<Uint8Array> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new PolicyBotError('INPUT_UNREADABLE', `${path} is a directory, not a file`, { source: path });
    if (st.size > MAX_FILE_BYTES) throw tooLarge(path, st.size);
    return await readFile(path);
  } catch (e) {
    if (isPolicyBotError(e)) throw e;
    throw new PolicyBotError('INPUT_UNREADABLE', `${path}: cannot read the file (${(e as Error).message})`, { source: path }, { cause: e });
  }
}

function tooLarge(path: string, size: number): PolicyBotError {
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  return new PolicyBotError(
    'INPUT_TOO_LARGE',
    `${path}: ${mb(size)} MB is over the ${mb(MAX_FILE_BYTES)} MB limit for one file; split it into issues or documents`,
    { source: path, size },
  );
}

function clashError(path: string, key: string, other: string, canReplace: boolean): PolicyBotError {
  const what = key.startsWith('issue:')
    ? `bulletin issue ${key.slice(6).replace(/:/g, ' ')}`
    : key.startsWith('doc:')
      ? `文号 ${key.slice(4)}`
      : `title 《${key.slice(6)}》`;
  return new PolicyBotError(
    'INGEST_CLASH',
    `${path}: its ${what} is already in ${other} with different content${canReplace ? '; to replace it run: policybot ingest --replace FILE (the old version is kept under state/replaced/)' : ''}`,
    { source: path, key },
  );
}

/** The name a file gets in bulletins/: safe characters, a document extension, never a dot-file. */
export function storedName(sourcePath: string, previous?: string): string {
  if (previous && extname(previous) === extname(sourcePath).toLowerCase()) return previous;
  const ext = DOCUMENT_EXTENSIONS.has(extname(sourcePath).toLowerCase()) ? extname(sourcePath).toLowerCase() : '.md';
  const base =
    basename(sourcePath, extname(sourcePath))
      .replace(/[^\p{L}\p{N}_.-]+/gu, '_')
      .replace(/^[._]+/, '') || 'document';
  return `${base}${ext}`;
}

function freeName(name: string, taken: Set<string>): string {
  let out = name;
  for (let n = 2; taken.has(out); n++) out = `${basename(name, extname(name))}-${n}${extname(name)}`;
  return out;
}
