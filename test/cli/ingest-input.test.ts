import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, tempDataDir } from '../helpers.ts';

const TSX = join(ROOT, 'node_modules/.bin/tsx');
let dir = '';
function cli(...args: string[]) {
  const r = spawnSync(TSX, [join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', POLICYBOT_DATA_DIR: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const stored = async (): Promise<string[]> => (await readdir(join(dir, 'bulletins')).catch(() => [] as string[])).sort();
const LAW = '# 某市测试管理办法\n\n2020年1月1日 某市人民代表大会常务委员会通过\n\n第一条 为了测试收录，制定本办法。\n\n第二条 本办法自公布之日起施行。\n';

describe('policybot ingest with folders and bad input, as a spawned process', () => {
  beforeEach(async () => {
    dir = await tempDataDir(false);
  });

  it('a folder stands for its documents (markdown, PDF, web pages); README, SOURCES, dot-files and other files are skipped and named', async () => {
    const folder = join(dir, 'inbox-folder');
    await mkdir(folder);
    await copyFile(join(FIXTURES, 'dev', 'bj_2019_disabled_children_rehabilitation.md'), join(folder, 'bj_2019.md'));
    await copyFile(join(FIXTURES, 'html', 'gov-metadata-table.html'), join(folder, 'page.html'));
    await writeFile(join(folder, 'README.md'), '# 说明\n\n本目录收录北京市的政策文件，供测试使用，不是文件本身。\n');
    await writeFile(join(folder, 'SOURCES.md'), '# 来源\n\n各文件来自北京市人民政府网站。\n');
    await writeFile(join(folder, '.draft.md'), LAW);
    await writeFile(join(folder, 'notes.docx'), 'PK');
    const r = cli('ingest', folder);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^skipped 4 files that are not documents: \.draft\.md, README\.md, SOURCES\.md, notes\.docx\n/);
    expect(r.out).toMatch(/accepted 2 of 2 files \(added 2, replaced 0, unchanged 0\), refused 0/);
    expect(await stored()).toEqual(['bj_2019.md', 'page.md']);
  });

  it('a folder without documents is an error that names the accepted kinds', async () => {
    const folder = join(dir, 'empty-folder');
    await mkdir(folder);
    await writeFile(join(folder, 'README.md'), '# 说明\n');
    const r = cli('ingest', folder);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no document files in .*empty-folder \(markdown, text, PDF or web pages: \.md .*\.pdf .*\.html/);
  });

  it('refuses empty, binary, mis-encoded and oversized files with a reason each, and a batch with one of them adds nothing', async () => {
    const bad = {
      'empty.md': new Uint8Array(0),
      'binary.md': Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
      'latin1.md': new TextEncoder().encode('# Ã¤Â¸Â­Ã¦â€“â€¡ title\n\nÃ§Â¬Â¬Ã¤Â¸â‚¬Ã¦ÂÂ¡ text text text text text text\n'),
    };
    for (const [name, bytes] of Object.entries(bad)) await writeFile(join(dir, name), bytes);
    const huge = join(dir, 'huge.md');
    await writeFile(huge, '');
    await truncate(huge, 51 * 1024 * 1024);
    const good = join(dir, 'good.md');
    await writeFile(good, LAW);
    const r = cli('ingest', good, ...Object.keys(bad).map((n) => join(dir, n)), huge);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/rejected INPUT_EMPTY: .*empty\.md: the file is empty/);
    expect(r.err).toMatch(/rejected INPUT_BINARY: .*binary\.md/);
    expect(r.err).toMatch(/rejected INPUT_GARBLED: .*latin1\.md: the text is Chinese read in the wrong encoding/);
    expect(r.err).toMatch(/rejected INPUT_TOO_LARGE: .*huge\.md: 51\.0 MB is over the 50\.0 MB limit/);
    expect(r.err).toMatch(/nothing ingested: 4 of 5 files refused/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(await stored()).toEqual([]);
    // the good file alone goes in
    expect(cli('ingest', good).code).toBe(0);
    expect(await stored()).toEqual(['good.md']);
  });

  it('a dot-file or odd name is stored under a name that loads, and what is reported added is listed', async () => {
    for (const name of ['.hidden.md', '..md']) await writeFile(join(dir, name), LAW.replace('某市', name === '..md' ? '甲市' : '乙市'));
    const r = cli('ingest', join(dir, '.hidden.md'), join(dir, '..md'));
    expect(r.code).toBe(0);
    const names = await stored();
    expect(names).toHaveLength(2);
    for (const n of names) expect(n.startsWith('.')).toBe(false);
    for (const n of names) expect(r.out).toContain(`added → ${n}`);
    const docs = cli('docs').out;
    expect(docs).toContain('甲市测试管理办法');
    expect(docs).toContain('乙市测试管理办法');
  });
});
