import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { StoredIndex } from '../search/inverted-index.ts';
import { packageRoot } from '../package-root.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { decodeColumns, encodeColumns, fileStringTable, typedName, typedView, type Column, type Typed } from './columns.ts';
import { dataPaths } from './paths.ts';
import type { Corpus } from './types.ts';

/**
 * The on-disk index snapshot (state/index.snapshot): the parsed corpus and the built search
 * index, so a start reads typed arrays instead of parsing every file and rebuilding the index.
 *
 * Layout: "PBINDEX\n", u32 header length, the header (JSON: format, fingerprint, column tree,
 * section table, checksums), then the sections in three parts, 8-byte aligned: the column data
 * (with the string offsets), the typed arrays the index keeps, and the string table (UTF-16 code
 * units). The first two are read into memory; the string table, half the file, stays on disk:
 * its checksum is verified on load by reading it through once, then each string is read from
 * the file (through a small block cache) when a question first needs it. A snapshot whose
 * format or fingerprint differs is stale; one whose checksums or structure do not hold is
 * corrupt; either way it is rebuilt.
 */

/** Bumped whenever the layout above changes. */
export const SNAPSHOT_FORMAT = 2;
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
  groups: z.array(z.object({ bytes: z.number().int().nonnegative(), crc: z.number().int() })).length(3),
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
  for (const [i, f] of files.entries()) h.update(`file ${f} ${stats[i]!.size} ${stats[i]!.mtimeMs}\n`);
  return h.digest('hex');
}

const pad = (n: number): number => (n + ALIGN - 1) & ~(ALIGN - 1);

/** The three parts of a snapshot: column data, kept typed arrays, the string table. */
const COLUMNS = 0;
const KEPT = 1;
const STRINGS = 2;

/** Writes a snapshot atomically (readers see the old file or the new one). */
export async function writeSnapshot(path: string, fingerprint: string, content: SnapshotContent): Promise<void> {
  const enc = encodeColumns(content);
  const blob = Buffer.from(enc.strings.join(''), 'utf16le');
  const offsets = new Uint32Array(enc.strings.length + 1);
  for (const [i, s] of enc.strings.entries()) offsets[i + 1] = offsets[i]! + s.length;
  const all: Array<{ data: Typed; kept: boolean }> = [
    ...enc.sections,
    { data: new Uint8Array(blob.buffer, blob.byteOffset, blob.length), kept: false },
    { data: offsets, kept: false },
  ];
  const blobIndex = all.length - 2;
  const groupOf = (i: number): number => (i === blobIndex ? STRINGS : all[i]!.kept ? KEPT : COLUMNS);
  const placed = new Array<Header['sections'][number]>(all.length);
  const groupBytes = [0, 0, 0];
  for (let i = 0; i < all.length; i++) {
    const { data, kept } = all[i]!;
    const g = groupOf(i);
    placed[i] = { type: typedName(data), offset: groupBytes[g]!, length: data.length, kept };
    groupBytes[g] = pad(groupBytes[g]! + data.byteLength);
  }
  const groups = groupBytes.map((bytes) => Buffer.alloc(bytes));
  for (let i = 0; i < all.length; i++) {
    const { data } = all[i]!;
    groups[groupOf(i)]!.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), placed[i]!.offset);
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
  let keepOpen = false;
  try {
    const size = fstatSync(fd).size;
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
    const starts = header.groups.map((g) => {
      const at = position;
      position += g.bytes;
      return at;
    });
    if (position !== size) throw new RangeError(`${size - position} ${position < size ? 'unexpected bytes at the end' : 'bytes missing'}`);
    const buffers = [COLUMNS, KEPT].map((i) => {
      const b = read(starts[i]!, header.groups[i]!.bytes);
      if (crc32(b) !== header.groups[i]!.crc) throw new RangeError(`checksum mismatch in part ${i + 1}`);
      return b;
    });
    // the string table is checked here but read later, string by string
    let crc = 0;
    const chunk = Buffer.allocUnsafe(1 << 22);
    for (let at = 0; at < header.groups[STRINGS]!.bytes; at += chunk.length) {
      const n = Math.min(chunk.length, header.groups[STRINGS]!.bytes - at);
      if (readSync(fd, chunk, 0, n, starts[STRINGS]! + at) !== n) throw new RangeError('short read');
      crc = crc32(chunk.subarray(0, n), crc);
    }
    if (crc !== header.groups[STRINGS]!.crc) throw new RangeError(`checksum mismatch in part ${STRINGS + 1}`);
    const sections = header.sections.map((s, i) => {
      if (i === header.strings.blob) return new Uint8Array(0);
      const b = buffers[s.kept ? KEPT : COLUMNS]!;
      return typedView(s.type as Parameters<typeof typedView>[0], b.buffer as ArrayBuffer, b.byteOffset + s.offset, s.length);
    });
    const blob = header.sections[header.strings.blob]!;
    const offsets = sections[header.strings.offsets] as Uint32Array;
    if (blob.type !== 'Uint8Array' || offsets[offsets.length - 1]! * 2 !== blob.length || starts[STRINGS]! + blob.offset + blob.length > size)
      throw new RangeError('string table does not match its offsets');
    const strings = fileStringTable(fd, starts[STRINGS]! + blob.offset, offsets);
    const content = decodeColumns(header.root, sections, strings) as SnapshotContent;
    if (!Array.isArray(content?.corpus?.files) || !Array.isArray(content.index?.clauses) || !Array.isArray(content.index.docs))
      throw new RangeError('missing corpus or index');
    keepOpen = true;
    // the file stays open while the index lives (a rename replacing it leaves this copy readable)
    closeWhenCollected.register(strings, fd);
    return { content };
  } catch (e) {
    return { reason: 'corrupt', detail: (e as Error).message };
  } finally {
    if (!keepOpen) closeSync(fd);
  }
}

const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});
