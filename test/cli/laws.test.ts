import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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
const QA = join(FIXTURES, 'regs-qa');

describe('laws and regulations without 文号, through the CLI as a spawned process', () => {
  beforeAll(async () => {
    dir = await tempDataDir(false);
    const files = (await readdir(QA)).map((n) => join(QA, n));
    const r = cli('ingest', ...files, join(FIXTURES, 'dev', 'bj_2020_student_aid_funds.md'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('ingest names each regulation by its title and version', () => {
    const r = cli('docs');
    expect(r.out).toContain('重庆市失业保险条例');
    expect(r.out).not.toMatch(/undefined/);
  });

  it('show takes a title, a short name, or a title with 第X条, 第X条第Y款, 第X条第（Z）项', () => {
    const outline = cli('show', '重庆市失业保险条例');
    expect(outline.code).toBe(0);
    expect(outline.out).toMatch(/^《重庆市失业保险条例》（2011年修正）\n2003年9月26日 重庆市第二届人民代表大会常务委员会第五次会议通过\n/);
    expect(outline.out).toContain('\n第一章 总则  (17)\n第二章 失业保险基金征缴与管理  (31)\n');
    expect(cli('show', '重庆失业保险条例').out).toContain('《重庆市失业保险条例》（2011年修正）');
    const art = cli('show', '重庆市失业保险条例', '第四条');
    expect(art.out).toBe('第四条失业保险基金实行全市统筹、分级管理。\n市人民政府应当建立失业保险调剂基金。\n—— 《重庆市失业保险条例》第四条 (2011年修正)\n');
    expect(cli('show', '重庆市失业保险条例第四条第二款').out).toBe(
      '市人民政府应当建立失业保险调剂基金。\n—— 《重庆市失业保险条例》第四条第二款 (2011年修正)\n',
    );
    expect(cli('show', '重庆失业保险条例', '第二条第（三）项').out).toBe(
      '（三）民办非企业单位及其职工；\n—— 《重庆市失业保险条例》第二条（三） (2011年修正)\n',
    );
    const missing = cli('show', '重庆市失业保险条例', '第九十九条');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/CLAUSE_NOT_FOUND: 《重庆市失业保险条例》（2011年修正） has no clause 第九十九条/);
  });

  it('resolves 附件2第三条 among attachments that each restart 第一条', () => {
    const r = cli('show', '京教财〔2020〕22号', '附件2第三条');
    expect(r.out).toMatch(/^第三条基本申请条件\n\(一\)具有中华人民共和国国籍；/);
    expect(r.out).toContain('—— 《北京市高等教育、中等职业教育、普通高中学生资助资金管理实施办法》（京教财〔2020〕22号）附件2第三条');
  });

  it('ask --json gives docNumber "" and the first-line title', () => {
    const r = cli('ask', '--json', '城市居民最低生活保障条例第二条第二款');
    const c = JSON.parse(r.out).results[0];
    expect(c.text).toMatch(/^前款所称收入/);
    expect(c.citation).toMatchObject({ docNumber: '', docTitle: '城市居民最低生活保障条例', label: '《城市居民最低生活保障条例》第二条第二款 (1999年发布)' });
  });

  it('refuses a changed copy of a stored regulation, then replaces it with --replace', async () => {
    const changed = join(dir, 'changed.md');
    await writeFile(changed, (await readFile(join(QA, 'admin-reg-0255.md'), 'utf8')).replace('制定本条例。', '特制定本条例。'));
    const refused = cli('ingest', changed);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/rejected INGEST_CLASH: .*《城市居民最低生活保障条例》 is already in stored file admin-reg-0255\.md/);
    const replaced = cli('ingest', '--replace', changed);
    expect(replaced.code).toBe(0);
    expect(replaced.out).toMatch(/replaced admin-reg-0255\.md \(kept under state\/replaced\/\)/);
    expect(cli('show', '城市居民最低生活保障条例', '第一条').out).toContain('特制定本条例。');
  });
});
