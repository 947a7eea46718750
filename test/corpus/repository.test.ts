import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile, loadCorpus } from '../../src/corpus/repository.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { FIXTURES, SEED, tempDataDir } from '../helpers.ts';

describe('ingesting into the data directory', () => {
  it('adds a new file, changes nothing on the same content, replaces a revision', async () => {
    const dir = await tempDataDir();
    const first = await ingestFile(dir, join(FIXTURES, 'bulletin-other.md'));
    expect(first.status).toBe('added');
    expect((await loadCorpus(dir)).files).toHaveLength(2);

    const again = await ingestFile(dir, join(FIXTURES, 'bulletin-other.md'));
    expect(again.status).toBe('unchanged');
    const seedAgain = await ingestFile(dir, SEED);
    expect(seedAgain.status).toBe('unchanged');

    const revised = (await readFile(join(FIXTURES, 'bulletin-other.md'), 'utf8')).replace('每户限养一只', '每户限养两只');
    const revPath = join(dir, 'revised-upload.md');
    await writeFile(revPath, revised);
    await expect(ingestFile(dir, revPath)).rejects.toSatisfy((e: unknown) => isPolicyBotError(e, 'INGEST_CLASH') && /bulletin-other\.md/.test((e as Error).message));
    const rep = await ingestFile(dir, revPath, undefined, { replace: true });
    expect(rep.status).toBe('replaced');
    expect(await readdir(join(dir, 'state/replaced'))).toHaveLength(1);
    expect(rep.replaced).toBe('bulletin-other.md');
    const files = await readdir(join(dir, 'bulletins'));
    expect(files.sort()).toEqual(['000_357ce20f33c7d160.txt', 'bulletin-other.md']);
    const corpus = await loadCorpus(dir);
    expect(corpus.files.flatMap((f) => f.documents).flatMap((d) => d.clauses).some((c) => c.text.includes('每户限养两只'))).toBe(true);
  });

  it('rejects a malformed file and leaves the corpus untouched', async () => {
    const dir = await tempDataDir();
    const before = await readdir(join(dir, 'bulletins'));
    for (const [name, bytes] of [
      ['empty.md', new Uint8Array()],
      ['binary.md', new Uint8Array([0, 1, 2, 3, 255, 0, 7])],
      ['nodoc.md', new TextEncoder().encode('只有一句话。')],
    ] as const) {
      const p = join(dir, name);
      await writeFile(p, bytes);
      await expect(ingestFile(dir, p)).rejects.toSatisfy((e: unknown) => isPolicyBotError(e));
    }
    await expect(ingestFile(dir, join(dir, 'missing.md'))).rejects.toSatisfy((e: unknown) => isPolicyBotError(e, 'INPUT_UNREADABLE'));
    expect(await readdir(join(dir, 'bulletins'))).toEqual(before);
  });
});
