import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { PolicyBotError } from '../errors.ts';
import { decodeBulletin } from '../ingest/decode.ts';
import { applyPages, readPageMap } from '../ingest/page-map.ts';
import { PARSER_VERSION, parseBulletin } from '../ingest/parse.ts';
import { normalizeKey } from '../text/normalize.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { dataPaths } from './paths.ts';
import type { CorpusFile, ParsedFile } from './types.ts';

/**
 * The parse cache of a data directory, so that opening or adding to a corpus of thousands of
 * files never re-parses the files that did not change.
 *
 * Layout under `state/`:
 * - `manifest.json` — `{ version: 1, parser, files: { <stored name>: { hash, size, mtimeMs, keys } } }`:
 *   one small entry per file of `bulletins/`, with its sha256, the size and mtime it had when
 *   hashed (a file whose size and mtime still match is not even read), and its identity keys.
 * - `parsed/<sha256>.json` — `{ version: 1, parser, hash, parsed }`: the parser's output for those
 *   bytes. Keyed by content, so a renamed or re-copied file is still a cache hit.
 *
 * Both are validated with zod on load and written atomically. An entry written by another
 * parser version (PARSER_VERSION) is ignored and the file parsed again; a missing or corrupt
 * cache is rebuilt from `bulletins/`, which stays the only source of truth.
 */
export const MANIFEST_VERSION = 1;

const entrySchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  keys: z.array(z.string()),
});
const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  parser: z.number().int(),
  files: z.record(z.string(), entrySchema),
});
const parsedSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  parser: z.number().int(),
  hash: z.string(),
  parsed: z.looseObject({ toc: z.array(z.unknown()), documents: z.array(z.unknown()), warnings: z.array(z.unknown()) }),
});

/** One stored file as the manifest knows it. */
export type ManifestEntry = z.infer<typeof entrySchema>;
/** The manifest: stored file name → entry. */
export type Manifest = z.infer<typeof manifestSchema>;

/** File extensions that hold documents. */
export const DOCUMENT_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

/** True for a file name the data directory loads: a document extension, not a dot-file. */
export function isLoadableName(name: string): boolean {
  return !name.startsWith('.') && DOCUMENT_EXTENSIONS.has(extname(name).toLowerCase());
}

/**
 * What a file must not share with another stored file: its bulletin issue, and each document's
 * 文号 — or, for a document without 文号, its title (a newer version of a law is a replacement).
 */
export function identityKeys(p: ParsedFile): string[] {
  const keys = p.issue ? [`issue:${p.issue.publication}:${p.issue.year}:${p.issue.number}`] : [];
  for (const d of p.documents) keys.push(d.docNumber ? `doc:${d.docNumber}` : `title:${normalizeKey(d.title)}`);
  return keys;
}

/** sha256 of bytes, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses bytes into a corpus file, throwing PolicyBotError for anything unusable. */
export function parseFileBytes(bytes: Uint8Array, name: string, hash = sha256(bytes)): CorpusFile {
  // text converted from a PDF carries a page map (see ingest/page-map.ts): its clauses get pages
  const text = decodeBulletin(bytes, name);
  const map = readPageMap(text);
  const parsed = parseBulletin(map ? map.text : text, name);
  if (map?.pageAt) applyPages(parsed, map.pageAt);
  return { ...parsed, file: name.split(/[\\/]/).pop()!, hash };
}

function manifestPath(dataDir: string): string {
  return join(dataPaths(dataDir).state, 'manifest.json');
}
function parsedPath(dataDir: string, hash: string): string {
  return join(dataPaths(dataDir).state, 'parsed', `${hash}.json`);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined; // missing or corrupt: rebuilt from bulletins/
  }
}

/** Reads the manifest; an empty one when it is missing, corrupt or from another parser version. */
export async function readManifest(dataDir: string): Promise<Manifest> {
  const r = manifestSchema.safeParse(await readJson(manifestPath(dataDir)));
  return r.success && r.data.parser === PARSER_VERSION ? r.data : { version: MANIFEST_VERSION, parser: PARSER_VERSION, files: {} };
}

/** Writes the manifest atomically. */
export async function writeManifest(dataDir: string, m: Manifest): Promise<void> {
  await writeFileAtomic(manifestPath(dataDir), JSON.stringify(m));
}

/** The cached parse of the bytes with this hash, if a valid one from this parser exists. */
export async function readParsed(dataDir: string, hash: string): Promise<ParsedFile | undefined> {
  const r = parsedSchema.safeParse(await readJson(parsedPath(dataDir, hash)));
  if (!r.success || r.data.parser !== PARSER_VERSION || r.data.hash !== hash) return undefined;
  return r.data.parsed as unknown as ParsedFile;
}

/** Caches the parse of the bytes with this hash (atomically). */
export async function writeParsed(dataDir: string, hash: string, parsed: ParsedFile): Promise<void> {
  await mkdir(join(dataPaths(dataDir).state, 'parsed'), { recursive: true });
  const { toc, documents, warnings, issue } = parsed;
  const body = { version: MANIFEST_VERSION, parser: PARSER_VERSION, hash, parsed: { ...(issue ? { issue } : {}), toc, documents, warnings } };
  await writeFileAtomic(parsedPath(dataDir, hash), JSON.stringify(body));
}

/** Removes the cached parse of a hash no stored file uses any more. */
export async function dropParsed(dataDir: string, hash: string): Promise<void> {
  await unlink(parsedPath(dataDir, hash)).catch(() => undefined);
}

/**
 * Brings the manifest in line with `bulletins/`: files whose size and mtime match their entry
 * are trusted; others are hashed and, when no cached parse exists for that hash, parsed.
 * With `load`, returns every file parsed (from the cache where possible); without it only the
 * manifest is brought up to date (what `ingest` needs to check identities).
 */
export async function syncManifest(dataDir: string, load: boolean): Promise<{ manifest: Manifest; files: CorpusFile[] }> {
  const dir = dataPaths(dataDir).bulletins;
  let names: string[];
  try {
    names = (await readdir(dir)).filter(isLoadableName).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { manifest: await readManifest(dataDir), files: [] };
    throw e;
  }
  const manifest = await readManifest(dataDir);
  let changed = false;
  const files: CorpusFile[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    seen.add(name);
    const path = join(dir, name);
    const st = await stat(path);
    let entry = manifest.files[name];
    let parsed: ParsedFile | undefined;
    if (!entry || entry.size !== st.size || entry.mtimeMs !== st.mtimeMs) {
      const bytes = await readFile(path);
      const hash = sha256(bytes);
      parsed = await readParsed(dataDir, hash);
      if (!parsed) {
        parsed = parseStored(bytes, name, hash);
        await writeParsed(dataDir, hash, parsed);
      }
      entry = { hash, size: st.size, mtimeMs: st.mtimeMs, keys: identityKeys(parsed) };
      manifest.files[name] = entry;
      changed = true;
    }
    if (!load) continue;
    if (!parsed) {
      parsed = await readParsed(dataDir, entry.hash);
      if (!parsed) {
        parsed = parseStored(await readFile(path), name, entry.hash);
        await writeParsed(dataDir, entry.hash, parsed);
      }
    }
    files.push({ ...parsed, file: name, hash: entry.hash });
  }
  for (const name of Object.keys(manifest.files)) {
    if (!seen.has(name)) {
      delete manifest.files[name];
      changed = true;
    }
  }
  if (changed) await writeManifest(dataDir, manifest);
  return { manifest, files };
}

function parseStored(bytes: Uint8Array, name: string, hash: string): CorpusFile {
  try {
    return parseFileBytes(bytes, name, hash);
  } catch (e) {
    throw new PolicyBotError('STORE_CORRUPT', `data directory file bulletins/${name} no longer parses: ${(e as Error).message}`, { file: name }, { cause: e });
  }
}
