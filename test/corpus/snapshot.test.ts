import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { decodeColumns, encodeColumns, fileStringTable, stringTable } from '../../src/corpus/columns.ts';
import { openCorpus } from '../../src/corpus/open.ts';
import { snapshotPath } from '../../src/corpus/snapshot.ts';
import { parseEvalFile } from '../../src/answer/eval.ts';
import { buildIndex, withRuntime, type StoredIndex } from '../../src/search/inverted-index.ts';
import { answerQuestion as search } from '../../src/answer/answer.ts';
import { textTools } from '../search/fixtures.ts';
import { FIXTURES, seed, tempDataDir } from '../helpers.ts';

/** Encodes and decodes through a UTF-16 string table, as the snapshot file does. */
function roundTrip(value: unknown, lazyRows?: number): unknown {
  const enc = encodeColumns(value);
  const blob = Buffer.from(enc.strings.join(''), 'utf16le');
  const offsets = new Uint32Array(enc.strings.length + 1);
  for (const [i, s] of enc.strings.entries()) offsets[i + 1] = offsets[i]! + s.length;
  return decodeColumns(
    enc.root,
    enc.sections.map((s) => s.data),
    stringTable(new Uint8Array(blob), offsets),
    lazyRows,
  );
}

const questions = parseEvalFile(await readFile(join(FIXTURES, 'questions/extra.jsonl'), 'utf8')).slice(0, 60);
const answers = (index: ReturnType<typeof buildIndex>): unknown[] =>
  questions.map((q) => search(index, q.q, { limit: 3 }).hits.map((h) => [h.clause.id, h.citation.label, +h.score.toFixed(9)]));

describe('columnar codec', () => {
  it('round-trips mixed, optional and nested values, Maps, Sets and typed arrays', () => {
    const shared = { id: 'a', n: 1 };
    const value = {
      rows: [
        {
          s: '条款',
          n: 1.5,
          b: true,
          opt: undefined,
          list: ['x', 'y'],
          nested: [{ k: 1 }],
          m: new Map<number | string, number>([
            [1, 2],
            ['w', 3],
          ]),
        },
        { s: '', n: -3, b: false, opt: 'here', list: [], nested: [], m: new Map(), extra: new Set(['p']) },
      ],
      objs: [shared, { id: 'b', n: 2 }],
      again: [shared],
      typed: new Uint32Array([1, 2, 4294967295]),
      floats: Float64Array.from([0.5, -0]),
      big: 2 ** 40,
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect('opt' in back.rows[0]!).toBe(false);
    expect(back.again[0]).toBe(back.objs[0]);
    expect(back.typed).toBeInstanceOf(Uint32Array);
  });

  it('refuses what it cannot store rather than losing it', () => {
    expect(() => encodeColumns({ f: () => 1 })).toThrow(/cannot store function/);
    expect(() => encodeColumns({ d: new Date(0) })).toThrow(/cannot store/);
  });

  it('reads large tables lazily as read-only arrays that behave like arrays', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ i, tag: i % 2 ? 'odd' : 'even', sub: Array.from({ length: 20 }, (_, j) => ({ j })) }));
    const back = roundTrip({ rows, refs: rows.slice(10, 40) }, 8) as { rows: typeof rows; refs: typeof rows };
    expect(Array.isArray(back.rows)).toBe(true);
    expect(back.rows.length).toBe(50);
    expect(back.rows.map((r) => r.i)).toEqual(rows.map((r) => r.i));
    expect([...back.rows].filter((r) => r.tag === 'odd')).toHaveLength(25);
    expect(back.rows.slice(3, 5)).toEqual(rows.slice(3, 5));
    expect(back.refs[0]).toBe(back.rows[10]);
    expect(back.rows[49]!.sub[19]).toEqual({ j: 19 });
    expect(back.rows[50]).toBeUndefined();
    expect(JSON.stringify(back)).toBe(JSON.stringify({ rows, refs: rows.slice(10, 40) }));
    expect(() => back.rows.push(rows[0]!)).toThrow(/read-only/);
  });

  it('reads strings from a file on demand, across block boundaries and longer than a block', async () => {
    const strings = ['', '条款', 'x'.repeat(40_000), '中'.repeat(70_000), 'ab', '', '尾'];
    const offsets = new Uint32Array(strings.length + 1);
    for (const [i, s] of strings.entries()) offsets[i + 1] = offsets[i]! + s.length;
    const file = join(await tempDataDir(), 'strings.bin');
    writeFileSync(file, Buffer.concat([Buffer.from('lead'), Buffer.from(strings.join(''), 'utf16le')]));
    const fd = openSync(file, 'r');
    try {
      const table = fileStringTable(fd, 4, offsets);
      for (const i of [3, 0, 6, 2, 1, 5, 4, 3]) expect(table.get(i)).toBe(strings[i]);
      expect(() => table.get(7)).toThrow(/missing/);
    } finally {
      closeSync(fd);
    }
  });

  it('gives the same answers from a decoded index, every table read lazily', () => {
    const tools = textTools();
    const built = buildIndex({ files: [{ ...seed(), file: 'seed.txt', hash: 'x' }] }, tools);
    const { tools: _x, ...stored } = built;
    const decoded = withRuntime(roundTrip(stored, 1) as StoredIndex, tools);
    expect(decoded.clauses.length).toBe(built.clauses.length);
    expect(answers(decoded)).toEqual(answers(built));
  });
});

describe('index snapshot', () => {
  it('is written on the first open and read on the next, with the same answers', async () => {
    const dir = await tempDataDir();
    const fresh = await openCorpus(dir, textTools(), { snapshot: false });
    const first = await openCorpus(dir, textTools());
    const written = await stat(snapshotPath(dir));
    const second = await openCorpus(dir, textTools());
    expect((await stat(snapshotPath(dir))).mtimeMs).toBe(written.mtimeMs);
    expect(answers(second.index)).toEqual(answers(fresh.index));
    expect(answers(first.index)).toEqual(answers(fresh.index));
    expect(JSON.parse(JSON.stringify(second.corpus))).toEqual(JSON.parse(JSON.stringify(fresh.corpus)));
    expect((await readdir(join(dir, 'state'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('is rebuilt when a corpus file changes, never trusted stale', async () => {
    const dir = await tempDataDir();
    await openCorpus(dir, textTools());
    const before = await readFile(snapshotPath(dir));
    await writeFile(join(dir, 'bulletins', 'other.md'), await readFile(join(FIXTURES, 'bulletin-other.md')));
    const grown = await openCorpus(dir, textTools());
    expect(grown.corpus.files).toHaveLength(2);
    expect((await readFile(snapshotPath(dir))).equals(before)).toBe(false);
    // same size, new modification time: a possibly different corpus, so a new snapshot
    const mid = await readFile(snapshotPath(dir));
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'bulletins', 'other.md'), later, later);
    const lines: string[] = [];
    await openCorpus(dir, textTools(), { log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    expect((await readFile(snapshotPath(dir))).equals(mid)).toBe(false);
  });

  it('detects a corrupt or truncated snapshot, says so and rebuilds it', async () => {
    const dir = await tempDataDir();
    const fresh = await openCorpus(dir, textTools(), { snapshot: false });
    await openCorpus(dir, textTools());
    const good = await readFile(snapshotPath(dir));
    for (const bad of [
      Buffer.concat([good.subarray(0, good.length - 100), Buffer.alloc(100, 7)]),
      good.subarray(0, good.length >> 1),
      Buffer.from('garbage'),
    ]) {
      await writeFile(snapshotPath(dir), bad);
      const lines: string[] = [];
      const reopened = await openCorpus(dir, textTools(), { log: (l) => lines.push(l) });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/index snapshot .* is unusable .*; rebuilding it/);
      expect(answers(reopened.index)).toEqual(answers(fresh.index));
      // the rebuilt snapshot is whole again: the next open uses it without a word
      const quiet: string[] = [];
      await openCorpus(dir, textTools(), { log: (l) => quiet.push(l) });
      expect(quiet).toEqual([]);
    }
  });
});
