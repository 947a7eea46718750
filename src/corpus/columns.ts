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
export type Typed =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

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
  const lengths = (vs: ReadonlyArray<{ length: number } | { size: number }>): number =>
    section(Uint32Array.from(vs, (v) => ('size' in v ? v.size : v.length)));

  const encode = (values: readonly unknown[], path: string): Column => {
    const kinds = values.map((v) => kindOf(v, path));
    const distinct = new Set(kinds);
    if (distinct.size === 0 || (distinct.size === 1 && distinct.has('u'))) return { k: 'u' };
    const only = distinct.size === 1 || (distinct.size === 2 && distinct.has('u') && distinct.has('s')) ? [...distinct].find((k) => k !== 'u')! : undefined;
    if (!only) {
      const order = [...distinct].filter((k) => k !== 'u');
      const tags = Uint8Array.from(kinds, (k) => (k === 'u' ? UNDEFINED_TAG : order.indexOf(k)));
      const tagSection = section(tags);
      return { k: 'x', tags: tagSection, parts: order.map((k) => encode(values.filter((_, i) => kinds[i] === k), path)) };
    }
    switch (only) {
      case 's':
        return {
          k: 's',
          ids: section(
            Uint32Array.from(values, (v) => {
              if (v === undefined) return NO_STRING;
              let id = stringIds.get(v as string);
              if (id === undefined) {
                id = strings.push(v as string) - 1;
                stringIds.set(v as string, id);
              }
              return id;
            }),
          ),
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
        return { k: 'S', lens: lengths(values as Set<unknown>[]), items: encode((values as Set<unknown>[]).flatMap((s) => [...s]), `${path}{}`) };
      case 'm': {
        const maps = values as Map<unknown, unknown>[];
        const lens = lengths(maps);
        const keys = encode(maps.flatMap((m) => [...m.keys()]), `${path}<key>`);
        return { k: 'm', lens, keys, values: encode(maps.flatMap((m) => [...m.values()]), `${path}<value>`) };
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
        const cols = keys.map((key) => encode(objs.map((o) => (o as Record<string, unknown>)[key]), `${path}.${key}`));
        objs.forEach((o, row) => rows.set(o, { table, row }));
        return { k: 'o', table, keys, cols };
      }
    }
  };
  const root = encode([value], '$');
  return { root, sections, strings };
}

/** Decodes what encodeColumns produced (sections given back in the same order). */
export function decodeColumns(root: Column, sections: readonly Typed[], strings: readonly string[]): unknown {
  const tables: unknown[][] = [];
  const at = <T extends Typed>(n: number): T => {
    const s = sections[n];
    if (!s) throw new RangeError(`snapshot: section ${n} missing`);
    return s as T;
  };
  /** Splits a flat list into consecutive groups of the given lengths. */
  const groups = <T>(lens: Uint32Array, flat: readonly unknown[], make: (items: unknown[]) => T): T[] => {
    const out = new Array<T>(lens.length);
    let p = 0;
    for (let i = 0; i < lens.length; i++) {
      const n = lens[i]!;
      out[i] = make(flat.slice(p, p + n));
      p += n;
    }
    if (p !== flat.length) throw new RangeError('snapshot: list lengths do not add up');
    return out;
  };
  const decode = (c: Column, n: number): unknown[] => {
    const check = (len: number): void => {
      if (len !== n) throw new RangeError(`snapshot: column of ${len} values where ${n} expected`);
    };
    switch (c.k) {
      case 'u':
        return new Array<unknown>(n).fill(undefined);
      case 'x': {
        const tags = at<Uint8Array>(c.tags);
        check(tags.length);
        const counts = c.parts.map(() => 0);
        for (const t of tags) if (t !== UNDEFINED_TAG) counts[t]!++;
        const parts = c.parts.map((p, i) => decode(p, counts[i]!));
        const next = c.parts.map(() => 0);
        return Array.from(tags, (t) => (t === UNDEFINED_TAG ? undefined : parts[t]![next[t]!++]));
      }
      case 's': {
        const ids = at<Uint32Array>(c.ids);
        check(ids.length);
        const out = new Array<string | undefined>(n);
        for (let i = 0; i < n; i++) {
          const id = ids[i]!;
          if (id === NO_STRING) out[i] = undefined;
          else {
            const s = strings[id];
            if (s === undefined) throw new RangeError(`snapshot: string ${id} missing`);
            out[i] = s;
          }
        }
        return out;
      }
      case 'n': {
        const data = at<Float64Array | Int32Array>(c.data);
        check(data.length);
        return Array.from(data);
      }
      case 'b': {
        const data = at<Uint8Array>(c.data);
        check(data.length);
        return Array.from(data, (b) => b === 1);
      }
      case 'a':
      case 'S': {
        const lens = at<Uint32Array>(c.lens);
        check(lens.length);
        const items = decode(c.items, lens.reduce((s, x) => s + x, 0));
        return c.k === 'a' ? groups(lens, items, (xs) => xs) : groups(lens, items, (xs) => new Set(xs));
      }
      case 'm': {
        const lens = at<Uint32Array>(c.lens);
        check(lens.length);
        const total = lens.reduce((s, x) => s + x, 0);
        const keys = decode(c.keys, total);
        const values = decode(c.values, total);
        const out = new Array<Map<unknown, unknown>>(n);
        let p = 0;
        for (let i = 0; i < n; i++) {
          const m = new Map<unknown, unknown>();
          for (const end = p + lens[i]!; p < end; p++) m.set(keys[p], values[p]);
          out[i] = m;
        }
        return out;
      }
      case 'o': {
        const cols = c.cols.map((col) => decode(col, n));
        const out = new Array<Record<string, unknown>>(n);
        for (let i = 0; i < n; i++) {
          const o: Record<string, unknown> = {};
          for (let k = 0; k < cols.length; k++) {
            const v = cols[k]![i];
            if (v !== undefined) o[c.keys[k]!] = v;
          }
          out[i] = o;
        }
        tables[c.table] = out;
        return out;
      }
      case 'r': {
        const table = tables[c.table];
        const rowIds = at<Uint32Array>(c.rows);
        if (!table) throw new RangeError(`snapshot: reference to table ${c.table} before it`);
        check(rowIds.length);
        return Array.from(rowIds, (r) => {
          if (r >= table.length) throw new RangeError('snapshot: row reference out of range');
          return table[r];
        });
      }
      case 't':
        check(c.list.length);
        return c.list.map((s) => at(s));
      default:
        throw new RangeError(`snapshot: unknown column kind ${(c as { k: string }).k}`);
    }
  };
  return decode(root, 1)[0];
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
