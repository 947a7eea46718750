import { readSync } from 'node:fs';

/**
 * A generic columnar codec for plain data (objects, arrays, strings, numbers, booleans, Maps,
 * Sets, typed arrays): what the index snapshot stores. It knows no field of the corpus or the
 * index, so the index can gain or lose fields without touching it.
 *
 * An array of objects becomes a table: one column per key, each column encoded the same way
 * (arrays flatten into lengths + one column of all their items, so nested clause lists become
 * one column of every clause). Numbers and booleans become typed arrays, strings ids into one
 * de-duplicated string table, objects already stored as table rows become row references (the
 * index's clauses point at the corpus's clause objects, and still do after loading). Decoding
 * is a few loops over typed arrays: no per-value parsing, no interning of strings.
 */

/** Typed arrays the codec stores as raw sections. */
const TYPED = { Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array } as const;
export type TypedName = keyof typeof TYPED;
export type Typed = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** How one column (a list of values) is stored; numbers in it are section numbers. */
export type Column =
  | { k: 'u' }
  | { k: 'x'; tags: number; parts: Column[] }
  | { k: 's'; ids: number }
  | { k: 'n'; data: number }
  | { k: 'b'; data: number }
  | { k: 'a'; lens: number; items: Column }
  | { k: 'S'; lens: number; items: Column }
  | { k: 'm'; lens: number; keys: Column; values: Column }
  | { k: 'o'; table: number; keys: string[]; cols: Column[] }
  | { k: 'r'; table: number; rows: number }
  | { k: 't'; list: number[] };

/** An encoded value: the column tree, its sections, the string table. */
export interface Encoded {
  root: Column;
  /** Typed arrays the column tree refers to; `kept` ones end up in the decoded value itself. */
  sections: Array<{ data: Typed; kept: boolean }>;
  strings: string[];
}

const NO_STRING = 0xffffffff;
const UNDEFINED_TAG = 255;

type Kind = 'u' | 's' | 'n' | 'b' | 'a' | 'S' | 'm' | 'o' | 't';

function kindOf(v: unknown, path: string): Kind {
  if (v === undefined) return 'u';
  if (typeof v === 'string') return 's';
  if (typeof v === 'number') return 'n';
  if (typeof v === 'boolean') return 'b';
  if (Array.isArray(v)) return 'a';
  if (v instanceof Map) return 'm';
  if (v instanceof Set) return 'S';
  if (ArrayBuffer.isView(v) && v.constructor.name in TYPED) return 't';
  if (typeof v === 'object' && v !== null) {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return 'o';
  }
  throw new TypeError(`snapshot: cannot store ${v === null ? 'null' : typeof v} ${(v as object)?.constructor?.name ?? ''} at ${path}`);
}

/** Encodes a value (typically one object) into columns. */
export function encodeColumns(value: unknown): Encoded {
  const sections: Encoded['sections'] = [];
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const rows = new Map<object, { table: number; row: number }>();
  let tables = 0;
  const section = (data: Typed, kept = false): number => sections.push({ data, kept }) - 1;
  const lengths = (vs: ReadonlyArray<{ length: number } | { size: number }>): number => section(Uint32Array.from(vs, (v) => ('size' in v ? v.size : v.length)));

  const intern = (v: string): number => {
    let id = stringIds.get(v);
    if (id === undefined) {
      id = strings.push(v) - 1;
      stringIds.set(v, id);
    }
    return id;
  };

  const encode = (values: readonly unknown[], path: string): Column => {
    const kinds = values.map((v) => kindOf(v, path));
    const distinct = new Set(kinds);
    if (distinct.size === 0 || (distinct.size === 1 && distinct.has('u'))) return { k: 'u' };
    const only = distinct.size === 1 || (distinct.size === 2 && distinct.has('u') && distinct.has('s')) ? [...distinct].find((k) => k !== 'u')! : undefined;
    if (!only) {
      const order = [...distinct].filter((k) => k !== 'u');
      const tags = Uint8Array.from(kinds, (k) => (k === 'u' ? UNDEFINED_TAG : order.indexOf(k)));
      const tagSection = section(tags);
      return {
        k: 'x',
        tags: tagSection,
        parts: order.map((k) =>
          encode(
            values.filter((_, i) => kinds[i] === k),
            path,
          ),
        ),
      };
    }
    switch (only) {
      case 's':
        return {
          k: 's',
          ids: section(Uint32Array.from(values, (v) => (v === undefined ? NO_STRING : intern(v as string)))),
        };
      case 'n': {
        const ns = values as number[];
        return { k: 'n', data: section(ns.every((x) => (x | 0) === x && !Object.is(x, -0)) ? Int32Array.from(ns) : Float64Array.from(ns)) };
      }
      case 'b':
        return { k: 'b', data: section(Uint8Array.from(values as boolean[], (b) => (b ? 1 : 0))) };
      case 'a':
        return { k: 'a', lens: lengths(values as unknown[][]), items: encode((values as unknown[][]).flat(1), `${path}[]`) };
      case 'S':
        return {
          k: 'S',
          lens: lengths(values as Set<unknown>[]),
          items: encode(
            (values as Set<unknown>[]).flatMap((s) => [...s]),
            `${path}{}`,
          ),
        };
      case 'm': {
        const maps = values as Map<unknown, unknown>[];
        const lens = lengths(maps);
        const keys = encode(
          maps.flatMap((m) => [...m.keys()]),
          `${path}<key>`,
        );
        return {
          k: 'm',
          lens,
          keys,
          values: encode(
            maps.flatMap((m) => [...m.values()]),
            `${path}<value>`,
          ),
        };
      }
      case 't':
        return { k: 't', list: (values as Typed[]).map((v) => section(v, true)) };
      default: {
        const objs = values as object[];
        const first = rows.get(objs[0]!);
        if (first && objs.every((o) => rows.get(o)?.table === first.table)) {
          return { k: 'r', table: first.table, rows: section(Uint32Array.from(objs, (o) => rows.get(o)!.row)) };
        }
        const table = tables++;
        const keys = [...new Set(objs.flatMap((o) => Object.keys(o)))];
        // a row's own strings (and lists of strings) first, row by row: one row's strings lie
        // together in the table, so reading a row from the file reads one block, not one per column
        for (const o of objs) {
          for (const v of Object.values(o)) {
            if (typeof v === 'string') intern(v);
            else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') intern(x);
          }
        }
        const cols = keys.map((key) =>
          encode(
            objs.map((o) => (o as Record<string, unknown>)[key]),
            `${path}.${key}`,
          ),
        );
        for (const [row, o] of objs.entries()) rows.set(o, { table, row });
        return { k: 'o', table, keys, cols };
      }
    }
  };
  const root = encode([value], '$');
  return { root, sections, strings };
}

/** Random access to one decoded column. */
interface Reader {
  n: number;
  get(i: number): unknown;
  /** For tables read lazily: the rows [from, to) as a lazy array. */
  range?(from: number, to: number): unknown[];
  /** Lists at least this long are read through `range` (default LAZY_LIST). */
  lazyFrom?: number;
}

/** Tables with at least this many rows (by default) are materialised row by row, when a row is first read. */
const LAZY_ROWS = 4096;
/** Lists of at least this many rows of such a table are lazy arrays too (shorter ones are built). */
const LAZY_LIST = 16;
/** Lists of at least this many strings are lazy arrays: a string is read when first indexed. */
const LAZY_STRINGS = 1024;

const isIndexKey = (k: string | symbol): boolean =>
  typeof k === 'string' && k.length > 0 && k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57 && String(Number(k) >>> 0) === k;

/**
 * A read-only array of `n` values produced by `at(i)` on first access (at caches them). It
 * behaves as an array for reading: indexing, length, iteration, map/filter/slice/find…
 */
function lazyArray(n: number, at: (i: number) => unknown): unknown[] {
  const readOnly = (): never => {
    throw new TypeError('index snapshot data is read-only');
  };
  return new Proxy(new Array<unknown>(n), {
    get: (t, k, r) => (isIndexKey(k) ? (Number(k) < n ? at(Number(k)) : undefined) : k === 'length' ? n : Reflect.get(t, k, r)),
    has: (t, k) => (isIndexKey(k) ? Number(k) < n : Reflect.has(t, k)),
    getOwnPropertyDescriptor: (t, k) =>
      isIndexKey(k)
        ? Number(k) < n
          ? { value: at(Number(k)), writable: true, enumerable: true, configurable: true }
          : undefined
        : Reflect.getOwnPropertyDescriptor(t, k),
    ownKeys: () => [...Array.from({ length: n }, (_, i) => String(i)), 'length'],
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
  });
}

/** Strings of the string table, by id: UTF-16 code units in `blob`, string i at [offsets[i], offsets[i+1]). */
export interface StringTable {
  get(id: number): string;
  size: number;
}

/** A string table over a UTF-16LE buffer; each string is decoded when first read. */
export function stringTable(blob: Uint8Array, offsets: Uint32Array): StringTable {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const cache = new Array<string | undefined>(offsets.length - 1);
  return {
    size: offsets.length - 1,
    get(id) {
      let s = cache[id];
      if (s === undefined) {
        if (id + 1 >= offsets.length) throw new RangeError(`snapshot: string ${id} missing`);
        s = cache[id] = buf.toString('utf16le', offsets[id]! * 2, offsets[id + 1]! * 2);
      }
      return s;
    },
  };
}

/** Bytes of the string table read from the file at a time (and how many such blocks are kept). */
const BLOCK = 1 << 12;
const BLOCKS_KEPT = 256;
/** Strings up to this many characters are kept once read. */
const KEEP_CHARS = 4096;

/**
 * A string table that stays in a file (UTF-16LE code units from byte `base` of the open file
 * `fd`): a string is read when first asked for, through a small cache of recently read blocks
 * (neighbouring strings, such as one document's clauses, share blocks), then kept.
 */
export function fileStringTable(fd: number, base: number, offsets: Uint32Array): StringTable {
  const strings = new Map<number, string>();
  const end = offsets[offsets.length - 1]! * 2;
  // the kept blocks live in one buffer, block number → its place there, most recently used
  // last: a block read reuses the place of the one it evicts (a fresh buffer per block read
  // cost more than the read itself)
  const slab = Buffer.allocUnsafe(BLOCK * BLOCKS_KEPT);
  const blocks = new Map<number, number>();
  const block = (k: number): Buffer => {
    const n = Math.min(BLOCK, end - k * BLOCK);
    let place = blocks.get(k);
    if (place !== undefined) {
      blocks.delete(k);
      blocks.set(k, place);
      return slab.subarray(place * BLOCK, place * BLOCK + n);
    }
    if (blocks.size < BLOCKS_KEPT) place = blocks.size;
    else {
      const oldest = blocks.keys().next().value!;
      place = blocks.get(oldest)!;
      blocks.delete(oldest);
    }
    const b = slab.subarray(place * BLOCK, place * BLOCK + n);
    if (readSync(fd, b, 0, n, base + k * BLOCK) !== n) throw new RangeError('snapshot: short read in the string table');
    blocks.set(k, place);
    return b;
  };
  return {
    size: offsets.length - 1,
    get(id) {
      let s = strings.get(id);
      if (s !== undefined) return s;
      if (id + 1 >= offsets.length) throw new RangeError(`snapshot: string ${id} missing`);
      const from = offsets[id]! * 2;
      const to = offsets[id + 1]! * 2;
      const k = Math.floor(from / BLOCK);
      if (to <= (k + 1) * BLOCK) s = block(k).toString('utf16le', from - k * BLOCK, to - k * BLOCK);
      else {
        const b = Buffer.allocUnsafe(to - from);
        if (readSync(fd, b, 0, to - from, base + from) !== to - from) throw new RangeError('snapshot: short read in the string table');
        s = b.toString('utf16le');
      }
      // long strings (whole documents) are read again when needed rather than kept
      if (to - from <= KEEP_CHARS * 2) strings.set(id, s);
      return s;
    },
  };
}

/**
 * Decodes what encodeColumns produced (sections given back in the same order). Large tables
 * (the clauses) stay in their columns: a row becomes an object when first read, so a start
 * reads typed arrays and builds only what its questions touch.
 */
export function decodeColumns(root: Column, sections: readonly Typed[], strings: StringTable | readonly string[], lazyRows = LAZY_ROWS): unknown {
  const str = Array.isArray(strings)
    ? (id: number): string => {
        const s = (strings as readonly string[])[id];
        if (s === undefined) throw new RangeError(`snapshot: string ${id} missing`);
        return s;
      }
    : (id: number): string => (strings as StringTable).get(id);
  const tables: Reader[] = [];
  const at = <T extends Typed>(n: number): T => {
    const s = sections[n];
    if (!s) throw new RangeError(`snapshot: section ${n} missing`);
    return s as T;
  };
  const sized = <T extends Typed>(section: number, n: number): T => {
    const s = at<T>(section);
    if (s.length !== n) throw new RangeError(`snapshot: column of ${s.length} values where ${n} expected`);
    return s;
  };
  /** Start of each list: starts[i] .. starts[i+1] are list i's items. */
  const starts = (lens: Uint32Array): Uint32Array => {
    const out = new Uint32Array(lens.length + 1);
    for (let i = 0; i < lens.length; i++) out[i + 1] = out[i]! + lens[i]!;
    return out;
  };
  const reader = (c: Column, n: number): Reader => {
    switch (c.k) {
      case 'u':
        return { n, get: () => undefined };
      case 'x': {
        const tags = sized<Uint8Array>(c.tags, n);
        const counts = c.parts.map(() => 0);
        const pos = new Uint32Array(n);
        for (let i = 0; i < n; i++) {
          const t = tags[i]!;
          if (t !== UNDEFINED_TAG) {
            if (t >= counts.length) throw new RangeError('snapshot: bad type tag');
            pos[i] = counts[t]!++;
          }
        }
        const parts = c.parts.map((p, i) => reader(p, counts[i]!));
        return { n, get: (i) => (tags[i] === UNDEFINED_TAG ? undefined : parts[tags[i]!]!.get(pos[i]!)) };
      }
      case 's': {
        const ids = sized<Uint32Array>(c.ids, n);
        const get = (i: number): string | undefined => (ids[i] === NO_STRING ? undefined : str(ids[i]!));
        return { n, get, range: (from, to) => lazyArray(to - from, (i) => get(from + i)), lazyFrom: LAZY_STRINGS };
      }
      case 'n': {
        const data = sized<Float64Array | Int32Array>(c.data, n);
        return { n, get: (i) => data[i] };
      }
      case 'b': {
        const data = sized<Uint8Array>(c.data, n);
        return { n, get: (i) => data[i] === 1 };
      }
      case 'a':
      case 'S':
      case 'm': {
        const st = starts(sized<Uint32Array>(c.lens, n));
        const total = st[n]!;
        if (c.k === 'm') {
          const keys = reader(c.keys, total);
          const values = reader(c.values, total);
          return {
            n,
            get: (i) => {
              const m = new Map<unknown, unknown>();
              for (let p = st[i]!; p < st[i + 1]!; p++) m.set(keys.get(p), values.get(p));
              return m;
            },
          };
        }
        const items = reader(c.items, total);
        const list = (i: number): unknown[] => {
          const from = st[i]!;
          const to = st[i + 1]!;
          if (items.range && to - from >= (items.lazyFrom ?? LAZY_LIST)) return items.range(from, to);
          const out = new Array<unknown>(to - from);
          for (let p = from; p < to; p++) out[p - from] = items.get(p);
          return out;
        };
        return { n, get: c.k === 'a' ? list : (i) => new Set(list(i)) };
      }
      case 'o': {
        const cols = c.cols.map((col) => reader(col, n));
        const rows = new Array<Record<string, unknown> | undefined>(n);
        const row = (i: number): Record<string, unknown> => {
          let o = rows[i];
          if (o === undefined) {
            if (i >= n) throw new RangeError('snapshot: row out of range');
            o = {};
            for (let k = 0; k < cols.length; k++) {
              const v = cols[k]!.get(i);
              if (v !== undefined) o[c.keys[k]!] = v;
            }
            rows[i] = o;
          }
          return o;
        };
        const table: Reader = { n, get: row };
        if (n >= lazyRows) table.range = (from, to) => lazyArray(to - from, (i) => row(from + i));
        tables[c.table] = table;
        return table;
      }
      case 'r': {
        const table = tables[c.table];
        if (!table) throw new RangeError(`snapshot: reference to table ${c.table} before it`);
        const ids = sized<Uint32Array>(c.rows, n);
        for (const r of ids) if (r >= table.n) throw new RangeError('snapshot: row reference out of range');
        return {
          n,
          get: (i) => table.get(ids[i]!),
          ...(table.range ? { range: (from: number, to: number) => lazyArray(to - from, (i) => table.get(ids[from + i]!)) } : {}),
        };
      }
      case 't':
        if (c.list.length !== n) throw new RangeError('snapshot: typed array list of the wrong length');
        return { n, get: (i) => at(c.list[i]!) };
      default:
        throw new RangeError(`snapshot: unknown column kind ${(c as { k: string }).k}`);
    }
  };
  return reader(root, 1).get(0);
}

/** The constructor name of a typed array, to store and re-create it. */
export function typedName(t: Typed): TypedName {
  const name = t.constructor.name;
  if (!(name in TYPED)) throw new TypeError(`snapshot: ${name} is not a stored typed array`);
  return name as TypedName;
}

/** A typed array of the given kind viewing `bytes` (which must be aligned for it). */
export function typedView(name: TypedName, buffer: ArrayBuffer, byteOffset: number, length: number): Typed {
  const C = TYPED[name];
  if (!C) throw new RangeError(`snapshot: unknown typed array ${name}`);
  return new C(buffer, byteOffset, length);
}
