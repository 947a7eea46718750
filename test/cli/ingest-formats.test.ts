import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, SEED, tempDataDir } from '../helpers.ts';
import { typesetBulletin } from '../ingest/bulletin-pdf.ts';

const TSX = join(ROOT, 'node_modules/.bin/tsx');
function cli(args: string[], dir: string, input?: string) {
  const r = spawnSync(TSX, [join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', POLICYBOT_DATA_DIR: dir },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('policybot ingest FILE.pdf / FILE.html as a spawned process', () => {
  it('ingests a bulletin PDF; answers cite the printed page of the clause', async () => {
    const dir = await tempDataDir(false);
    const pdf = join(dir, '绵阳公报2013-13.pdf');
    await writeFile(pdf, (await typesetBulletin(readFileSync(SEED, 'utf8'))).pdf);
    const r = cli(['ingest', pdf], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/added → 绵阳公报2013-13\.md/);
    expect(r.out).toMatch(/绵阳市人民政府公报 2013年第13号（总第393号） 2013-07-15: 7 documents/);
    const ask = cli(['ask', '--json', '--top', '1'], dir, '节能环保产业产值每年增长多少\n');
    expect(ask.code).toBe(0);
    const c = JSON.parse(ask.out.trim()).results[0].citation;
    expect(c.docNumber).toBe('国发〔2013〕30号');
    expect(c.pages).toMatch(/^\d+$/);
    expect(c.label).toContain(`第${c.pages}页`);
  }, 120_000);

  it('ingests a GB2312 government web page', async () => {
    const dir = await tempDataDir(false);
    const r = cli(['ingest', join(FIXTURES, 'html', 'trs-editor-gb2312.html')], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/added → trs-editor-gb2312\.md/);
    expect(r.out).toMatch(/京建法〔2020〕6号/);
  });

  it('ingests a GBK page whose body is in a zoom div; a question about its table is answered by the row', async () => {
    const dir = await tempDataDir(false);
    const r = cli(['ingest', join(FIXTURES, 'html', 'zoom-gbk.html')], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/added → zoom-gbk\.md/);
    expect(r.out).toContain('《国务院关于印发“宽带中国”战略及实施方案的通知》（国发〔2013〕31号）');
    const ask = cli(['ask', '--json', '--top', '1'], dir, '电子商务交易额目标\n');
    expect(ask.code).toBe(0);
    const [hit] = JSON.parse(ask.out.trim()).results;
    expect(hit.text).toBe('指标：电子商务交易额；单位：万亿元；2013年：10；2015年：18；2020年：——');
    expect(hit.citation.docNumber).toBe('国发〔2013〕31号');
  }, 60_000);

  it('refuses a scan, a damaged PDF and an empty page with a clear message, changing nothing', async () => {
    const dir = await tempDataDir();
    const before = await readdir(join(dir, 'bulletins'));
    const cut = join(dir, 'cut.pdf');
    await writeFile(cut, readFileSync(join(FIXTURES, 'pdf', 'embedded_subset_tounicode.pdf')).subarray(0, 400));
    const empty = join(dir, 'list.html');
    await writeFile(empty, '<html><body><nav><a href="/">首页</a></nav><ul><li><a href="/1">通知</a></li></ul></body></html>');
    for (const [file, code, text] of [
      [join(FIXTURES, 'pdf', 'scanned_image_only.pdf'), 'INPUT_SCANNED', '扫描件，没有文字层'],
      [cut, 'INPUT_CORRUPT', 'not a readable PDF'],
      [empty, 'INPUT_EMPTY', 'no article text'],
    ] as const) {
      const r = cli(['ingest', file], dir);
      expect(r.code, file).toBe(1);
      expect(r.err).toContain(`rejected ${code}: ${file}: `);
      expect(r.err).toContain(text);
      expect(r.out).toBe('');
    }
    expect(await readdir(join(dir, 'bulletins'))).toEqual(before);
  }, 60_000);
});
