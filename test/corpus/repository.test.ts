import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile, ingestFiles, loadCorpus } from '../../src/corpus/repository.ts';
import { PARSER_VERSION } from '../../src/ingest/parse.ts';
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
    await expect(ingestFile(dir, revPath)).rejects.toSatisfy(
      (e: unknown) => isPolicyBotError(e, 'INGEST_CLASH') && /bulletin-other\.md/.test((e as Error).message),
    );
    const rep = await ingestFile(dir, revPath, undefined, { replace: true });
    expect(rep.status).toBe('replaced');
    expect(await readdir(join(dir, 'state/replaced'))).toHaveLength(1);
    expect(rep.replaced).toBe('bulletin-other.md');
    const files = await readdir(join(dir, 'bulletins'));
    expect(files.sort()).toEqual(['000_357ce20f33c7d160.txt', 'bulletin-other.md']);
    const corpus = await loadCorpus(dir);
    expect(
      corpus.files
        .flatMap((f) => f.documents)
        .flatMap((d) => d.clauses)
        .some((c) => c.text.includes('每户限养两只')),
    ).toBe(true);
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

describe('identity, clashes and replacement', () => {
  const law = join(FIXTURES, 'regs-qa', 'local-chongqing-0038.md');
  const names = async (dir: string): Promise<string[]> => (await readdir(join(dir, 'bulletins'))).sort();

  it('refuses a different text under the same title, replaces it with --replace and keeps the old one', async () => {
    const dir = await tempDataDir();
    expect((await ingestFile(dir, law)).status).toBe('added');
    const original = await readFile(law, 'utf8');
    const revised = join(dir, 'revised.md');
    await writeFile(revised, original.replace('市人民政府应当建立失业保险调剂基金。', '市人民政府应当建立并管理失业保险调剂基金。'));
    const before = await names(dir);
    await expect(ingestFile(dir, revised)).rejects.toSatisfy(
      (e: unknown) =>
        isPolicyBotError(e, 'INGEST_CLASH') &&
        /《重庆市失业保险条例》 is already in stored file local-chongqing-0038\.md/.test((e as Error).message) &&
        /--replace/.test((e as Error).message),
    );
    expect(await names(dir)).toEqual(before);
    const r = await ingestFile(dir, revised, undefined, { replace: true });
    expect(r).toMatchObject({ status: 'replaced', replaced: 'local-chongqing-0038.md' });
    const [stamp] = await readdir(join(dir, 'state', 'replaced'));
    expect(await readFile(join(dir, 'state', 'replaced', stamp!, 'local-chongqing-0038.md'), 'utf8')).toBe(original);
    const texts = (await loadCorpus(dir)).files.flatMap((f) => f.documents).flatMap((d) => d.clauses.map((c) => c.text));
    expect(texts).toContain('市人民政府应当建立并管理失业保险调剂基金。');
    expect(texts).not.toContain('市人民政府应当建立失业保险调剂基金。');
  });

  it('never lets a revised copy of the shipped bulletin replace it silently', async () => {
    const dir = await tempDataDir();
    const copy = join(dir, 'seed-copy.txt');
    await writeFile(copy, (await readFile(SEED, 'utf8')).replace('。', '。 '));
    await expect(ingestFile(dir, copy)).rejects.toSatisfy((e: unknown) => isPolicyBotError(e, 'INGEST_CLASH') && /bulletin issue/.test((e as Error).message));
    expect(await names(dir)).toEqual(['000_357ce20f33c7d160.txt']);
  });

  it('a batch is all or nothing; the same content twice in one batch is added once', async () => {
    const dir = await tempDataDir();
    const bad = join(dir, 'bad.md');
    await writeFile(bad, '只有一句话。');
    const refused = await ingestFiles(dir, [{ path: law }, { path: bad }]);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.failures.map((f) => [f.source, f.error.code])).toEqual([[bad, 'NO_DOCUMENT']]);
    expect(await names(dir)).toEqual(['000_357ce20f33c7d160.txt']);
    const twice = await ingestFiles(dir, [{ path: law }, { path: law }]);
    expect(twice.ok && twice.outcomes.map((o) => o.status).sort()).toEqual(['added', 'unchanged']);
  });

  it('stores dot-file names under a name that loads, and refuses a file over 50 MB', async () => {
    const dir = await tempDataDir(false);
    const text = await readFile(law);
    for (const n of ['.hidden.md', '..md']) await writeFile(join(dir, n), text.subarray(0, text.indexOf('第三条')));
    const r = await ingestFile(dir, join(dir, '.hidden.md'));
    expect(r.file.file).toBe('hidden.md');
    await writeFile(join(dir, '..md'), `# 另一个条例\n\n第一条 本条例用于测试奇怪的文件名。\n`);
    expect((await ingestFile(dir, join(dir, '..md'))).file.file).toBe('document.md');
    expect((await loadCorpus(dir)).files.map((f) => f.file)).toEqual(['document.md', 'hidden.md']);
    const big = join(dir, 'big.md');
    await writeFile(big, '');
    await truncate(big, 50 * 1024 * 1024 + 1);
    await expect(ingestFile(dir, big)).rejects.toSatisfy(
      (e: unknown) => isPolicyBotError(e, 'INPUT_TOO_LARGE') && /over the 50\.0 MB limit/.test((e as Error).message),
    );
  });
});

describe('the parse cache (state/manifest.json, state/parsed/)', () => {
  it('opens stored files from the cache, re-parses an entry of another parser version, survives a corrupt manifest', async () => {
    const dir = await tempDataDir(false);
    const r = await ingestFile(dir, join(FIXTURES, 'regs-qa', 'admin-reg-0255.md'));
    const cached = join(dir, 'state', 'parsed', `${r.file.hash}.json`);
    const entry = JSON.parse(await readFile(cached, 'utf8'));
    expect(entry).toMatchObject({ version: 1, parser: PARSER_VERSION, hash: r.file.hash });
    // a cached title proves the file was not parsed again
    entry.parsed.documents[0].title = '缓存里的标题';
    await writeFile(cached, JSON.stringify(entry));
    expect((await loadCorpus(dir)).files[0]!.documents[0]!.title).toBe('缓存里的标题');
    await ingestFile(dir, join(FIXTURES, 'regs-qa', 'admin-reg-0066.md'));
    expect((await loadCorpus(dir)).files.map((f) => f.documents[0]!.title)).toEqual(['住房公积金管理条例', '缓存里的标题']);
    await writeFile(cached, JSON.stringify({ ...entry, parser: PARSER_VERSION - 1 }));
    expect((await loadCorpus(dir)).files[1]!.documents[0]!.title).toBe('城市居民最低生活保障条例');
    await writeFile(join(dir, 'state', 'manifest.json'), '{ not json');
    expect((await loadCorpus(dir)).files).toHaveLength(2);
    expect(JSON.parse(await readFile(join(dir, 'state', 'manifest.json'), 'utf8')).version).toBe(1);
  });
});
