import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { StoredIndex } from '../search/index.ts';
import { packageRoot } from '../package-root.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { decodeColumns, encodeColumns, stringTable, typedName, typedView, type Column, type Typed } from './columns.ts';
import { dataPaths } from './paths.ts';
import type { Corpus } from './types.ts';

/**
 * The on-disk index snapshot (state/index.snapshot): the parsed corpus and the built search
 * index, so a start reads typed arrays instead of parsing every file and rebuilding the index.
 *
 * Layout: "PBINDEX\n", u32 header length, the header (JSON: format, fingerprint, column tree,
 * section table, checksums), then the sections, 8-byte aligned: first those only needed while
 * decoding (column data, the string table), then the typed arrays the index keeps, read into
 * their own buffer so the rest can be freed. A snapshot whose format or fingerprint differs is
 * stale; one whose checksums or structure do not hold is corrupt; either way it is rebuilt.
 */

/** Bumped whenever the layout above changes. */
export const SNAPSHOT_FORMAT = 1;
const MAGIC = Buffer.from('PBINDEX\n', 'latin1');
const ALIGN = 8;

/** What a snapshot holds. */
export interface SnapshotContent {
  corpus: Corpus;
  index: StoredIndex;
}

const Header = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  fingerprint: z.string(),
  created: z.string(),
  root: z.custom<Column>((v) => typeof v === 'object' && v !== null && 'k' in v),
  sections: z.array(z.object({ type: z.string(), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative(), kept: z.boolean() })),
  strings: z.object({ blob: z.number().int(), offsets: z.number().int() }),
  groups: z.array(z.object({ bytes: z.number().int().nonnegative(), crc: z.number().int() })).length(2),
});
type Header = z.infer<typeof Header>;

/** Why a snapshot was not used. */
export type SnapshotMiss = { reason: 'missing' | 'stale' } | { reason: 'corrupt'; detail: string };

/** The snapshot file of a data directory. */
export function snapshotPath(dataDir: string): string {
  return join(dataPaths(dataDir).state, 'index.snapshot');
}

/**
 * What a snapshot must match to be used: its format, the code that parses and indexes (the
 * ingest/search/text/corpus modules: their TypeScript sources, or the compiled files where there
 * are no sources), the dependency versions,
 * the dictionaries, and every corpus file's name, size and modification time.
 */
export async function snapshotFingerprint(dataDir: string, files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  h.update(`format ${SNAPSHOT_FORMAT}\n`);
  // the TypeScript sources when present, so the compiled start and tsx (npm run cli) agree
  const sources = join(packageRoot(), 'src');
  const codeRoot = existsSync(join(sources, 'corpus', 'snapshot.ts')) ? sources : join(dirname(fileURLToPath(import.meta.url)), '..');
  for (const dir of ['ingest', 'search', 'text', 'corpus']) {
    for (const name of readdirSync(join(codeRoot, dir)).sort()) {
      if (/\.(ts|js)$/.test(name)) h.update(`${dir}/${name}\n`).update(readFileSync(join(codeRoot, dir, name)));
    }
  }
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { dependencies?: unknown };
  h.update(JSON.stringify(pkg.dependencies ?? {}));
  const { dictionaries, bulletins } = dataPaths(dataDir);
  for (const dir of [join(packageRoot(), 'data/dictionaries'), dictionaries]) {
    const names = existsSync(dir) ? (await readdir(dir)).sort() : [];
    for (const n of names) h.update(`dict ${n}\n`).update(readFileSync(join(dir, n)));
  }
  const stats = await Promise.all(files.map((f) => stat(join(bulletins, f))));
  files.forEach((f, i) => h.update(`file ${f} ${stats[i]!.size} ${stats[i]!.mtimeMs}\n`));
  return h.digest('hex');
}

const pad = (n: number): number => (n + ALIGN - 1) & ~(ALIGN - 1);

/** Writes a snapshot atomically (readers see the old file or the new one). */
export async function writeSnapshot(path: string, fingerprint: string, content: SnapshotContent): Promise<void> {
  const enc = encodeColumns(content);
  const blob = Buffer.from(enc.strings.join(''), 'utf16le');
  const offsets = new Uint32Array(enc.strings.length + 1);
  enc.strings.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
  const all: Array<{ data: Typed; kept: boolean }> = [...enc.sections, { data: new Uint8Array(blob.buffer, blob.byteOffset, blob.length), kept: false }, { data: offsets, kept: false }];
  const order = [...all.keys()].sort((a, b) => Number(all[a]!.kept) - Number(all[b]!.kept));
  const placed = new Array<Header['sections'][number]>(all.length);
  const groupBytes = [0, 0];
  for (const i of order) {
    const { data, kept } = all[i]!;
    const g = kept ? 1 : 0;
    placed[i] = { type: typedName(data), offset: groupBytes[g]!, length: data.length, kept };
    groupBytes[g] = pad(groupBytes[g]! + data.byteLength);
  }
  const groups = groupBytes.map((bytes) => Buffer.alloc(bytes));
  for (let i = 0; i < all.length; i++) {
    const { data } = all[i]!;
    groups[placed[i]!.kept ? 1 : 0]!.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), placed[i]!.offset);
  }
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    fingerprint,
    created: new Date().toISOString(),
    root: enc.root,
    sections: placed,
    strings: { blob: all.length - 2, offsets: all.length - 1 },
    groups: groups.map((g) => ({ bytes: g.length, crc: crc32(g) })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lead = Buffer.alloc(pad(MAGIC.length + 4 + json.length));
  MAGIC.copy(lead, 0);
  lead.writeUInt32LE(json.length, MAGIC.length);
  json.copy(lead, MAGIC.length + 4);
  await writeFileAtomic(path, Buffer.concat([lead, ...groups]));
}

/** Reads a snapshot if it exists, matches `fingerprint` and is intact; says why not otherwise. */
export function readSnapshot(path: string, fingerprint: string): { content: SnapshotContent } | SnapshotMiss {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { reason: 'missing' };
    return { reason: 'corrupt', detail: (e as Error).message };
  }
  try {
    const size = statSync(path).size;
    const read = (position: number, bytes: number): Buffer => {
      if (position + bytes > size) throw new RangeError(`truncated: needs ${position + bytes} bytes, has ${size}`);
      const b = Buffer.allocUnsafeSlow(bytes);
      if (readSync(fd, b, 0, bytes, position) !== bytes) throw new RangeError('short read');
      return b;
    };
    const lead = read(0, MAGIC.length + 4);
    if (!lead.subarray(0, MAGIC.length).equals(MAGIC)) throw new RangeError('not a PolicyBot index snapshot');
    const jsonBytes = lead.readUInt32LE(MAGIC.length);
    const raw = JSON.parse(read(MAGIC.length + 4, jsonBytes).toString('utf8')) as { format?: unknown; fingerprint?: unknown };
    if (raw.format !== SNAPSHOT_FORMAT || raw.fingerprint !== fingerprint) return { reason: 'stale' };
    const header = Header.parse(raw);
    let position = pad(MAGIC.length + 4 + jsonBytes);
    const buffers = header.groups.map((g, i) => {
      const b = read(position, g.bytes);
      position += g.bytes;
      if (crc32(b) !== g.crc) throw new RangeError(`checksum mismatch in part ${i + 1}`);
      return b;
    });
    if (position !== size) throw new RangeError(`${size - position} unexpected bytes at the end`);
    const sections = header.sections.map((s) => {
      const b = buffers[s.kept ? 1 : 0]!;
      return typedView(s.type as Parameters<typeof typedView>[0], b.buffer as ArrayBuffer, b.byteOffset + s.offset, s.length);
    });
    const blob = sections[header.strings.blob]!;
    const offsets = sections[header.strings.offsets] as Uint32Array;
    if (offsets[offsets.length - 1]! * 2 !== blob.byteLength) throw new RangeError('string table does not match its offsets');
    const content = decodeColumns(header.root, sections, stringTable(new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength), offsets)) as SnapshotContent;
    if (!Array.isArray(content?.corpus?.files) || !Array.isArray(content.index?.clauses) || !Array.isArray(content.index.docs)) throw new RangeError('missing corpus or index');
    return { content };
  } catch (e) {
    return { reason: 'corrupt', detail: (e as Error).message };
  } finally {
    closeSync(fd);
  }
}
