import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, tempDataDir } from '../helpers.ts';

const TSX = join(ROOT, 'node_modules/.bin/tsx');
function cli(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(TSX, [join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the CLI as a spawned process', () => {
  it('docs --json keeps the documented shape', () => {
    const r = cli(['docs', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.documents).toEqual([]);
    expect(j.issues).toHaveLength(1);
    expect(j.issues[0]).toMatchObject({ publication: '绵阳市人民政府公报', year: 2013, number: 13, total: 393, date: '2013-07-15' });
    expect(j.issues[0].documents[0]).toEqual({ docNumber: '国发〔2013〕30号', title: '国务院关于加快发展节能环保产业的意见', pages: '2-8', clauses: 49 });
    expect(j.issues[0].documents.map((d: { docNumber: string }) => d.docNumber)).toHaveLength(7);
  });

  it('ask --json reads stdin and prints one JSON object per line, nothing else', () => {
    const r = cli(['ask', '--json', '--top', '3'], {}, '川办发〔2013〕52号 第十四条\n明天会下雨吗\n新农合政府补助标准是多少钱\n');
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.query, l.answered])).toEqual([
      ['川办发〔2013〕52号 第十四条', true],
      ['明天会下雨吗', false],
      ['新农合政府补助标准是多少钱', true],
    ]);
    const c = lines[0].results[0];
    expect(Object.keys(c).sort()).toEqual(['citation', 'score', 'text']);
    expect(Object.keys(c.citation).sort()).toEqual(['bulletin', 'docNumber', 'docTitle', 'heading', 'label', 'pages']);
    expect(c.citation.heading).toBe('三、积极推进公立医院改革 > （十四）全面推进县级医院综合改革');
    expect(lines[0].results.length).toBeLessThanOrEqual(3);
    expect(lines[1].results).toEqual([]);
  });

  it('ingest adds a good file and rejects a bad one with a non-zero exit', async () => {
    const dir = await tempDataDir();
    const ok = cli(['ingest', join(FIXTURES, 'bulletin-other.md')], { POLICYBOT_DATA_DIR: dir });
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/added → bulletin-other\.md/);
    expect(ok.out).toMatch(/2 documents, 6 clauses, 0 warnings/);
    const nodoc = join(dir, 'nodoc.md');
    await writeFile(nodoc, '只有一句话，没有标题。');
    const bad = cli(['ingest', join(FIXTURES, 'no-docnumber.md'), nodoc], { POLICYBOT_DATA_DIR: dir });
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/rejected NO_DOCUMENT: .*nodoc\.md/);
    // all or nothing: the good file of the refused batch is not added
    expect(bad.err).toMatch(/nothing ingested: 1 of 2 files refused/);
    expect((await readdir(join(dir, 'bulletins'))).sort()).toEqual(['000_357ce20f33c7d160.txt', 'bulletin-other.md']);
  });

  it('show prints an outline and a clause with its citation', () => {
    const o = cli(['show', '川办发〔2013〕52号']);
    expect(o.code).toBe(0);
    expect(o.out).toContain('三、积极推进公立医院改革');
    const c = cli(['show', '川办发〔2013〕52号', '第十四条']);
    expect(c.out).toContain('全面推进县级公立医院取消药品加成改革');
    expect(c.out).toContain('—— 《四川省人民政府办公厅关于印发四川省深化医药卫生体制改革2013年主要工作安排的通知》（川办发〔2013〕52号）三、（十四）');
    expect(cli(['show', '川办发〔2013〕99号']).code).toBe(1);
    expect(cli(['show', '金融支持小微企业']).out).toContain('《国务院办公厅关于金融支持小微企业发展的实施意见》（国办发〔2013〕87号）');
  });

  it('the installed policybot bin runs the same CLI', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/policybot.js'), 'ask', '--json', '川办发52号 第十四条'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).results[0].citation.heading).toBe('三、积极推进公立医院改革 > （十四）全面推进县级医院综合改革');
  });

  it('usage errors exit 2 with the usage text', () => {
    for (const args of [['docs', '--bogus'], ['ask', '--top', '0', 'x'], ['ingest'], ['show'], ['frobnicate']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.length).toBeGreaterThan(0);
    }
    expect(cli(['docs', '--bogus']).err).toContain("Unknown option '--bogus'");
  });

  it('a wrong configuration value stops with the variable named', () => {
    const r = cli(['docs'], { POLICYBOT_RATE_LIMIT_PER_MINUTE: 'lots' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CONFIG_INVALID: .*POLICYBOT_RATE_LIMIT_PER_MINUTE/s);
  });
});

describe('push and subscribers commands', () => {
  it('push --once --dry-run previews a new inbox issue; subscribers counts per channel and topic', async () => {
    const { mkdir, copyFile, writeFile } = await import('node:fs/promises');
    const dir = await tempDataDir();
    await mkdir(join(dir, 'inbox'), { recursive: true });
    await mkdir(join(dir, 'state'), { recursive: true });
    const now = '2026-01-01T00:00:00.000Z';
    const sub = (chatId: string, topics: string[]) => ({ channel: 'telegram', chatId, isGroup: false, topics, active: true, createdAt: now, updatedAt: now });
    await writeFile(
      join(dir, 'state', 'store.json'),
      JSON.stringify({
        version: 1,
        subscribers: [sub('1', []), sub('2', ['医保']), { ...sub('3', []), channel: 'wechat' }],
        deliveries: [],
        feedback: [],
        stats: { asked: 0, answered: 0 },
        unanswered: [],
        sessions: {},
        announced: ['issue:绵阳市人民政府公报:2013:13'],
      }),
    );
    await copyFile(join(FIXTURES, 'mianyang-2013-14.md'), join(dir, 'inbox', '14.md'));
    const env = { POLICYBOT_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const r = cli(['push', '--once', '--dry-run'], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('would push issue:绵阳市人民政府公报:2013:14 to 3 subscribers');
    expect(r.out).toContain('--- telegram:2');
    expect(r.out).toContain('与“医保”相关');
    expect((await readdir(join(dir, 'inbox'))).sort()).toEqual(['14.md']);
    const s = cli(['subscribers'], env);
    expect(s.out).toContain('subscribers: 3 active, 0 inactive');
    expect(s.out).toMatch(/telegram: 2\n\s+（全部）: 1\n\s+医保: 1/);
    expect(s.out).toMatch(/wechat: 1/);
    expect(cli(['push'], env).code).toBe(2);
  });
});

describe('the CLI in a pipeline', () => {
  // `policybot ask < questions.txt | head -1` printed an EPIPE stack trace once head had gone
  it('leaves quietly when the reader of stdout closes early', () => {
    const questions = Array.from({ length: 40 }, () => '节能环保产业的主要目标').join('\n');
    const r = spawnSync('sh', ['-c', `"${TSX}" "${join(ROOT, 'src/cli/main.ts')}" ask | head -c 10 >/dev/null; echo "rc=$?" >&2`], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
      input: questions,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
  // a bare \r pasted into stdin split one question into two answers
  it('reads a bare \\r as a space, not a line break', () => {
    const r = cli(['ask'], { LOG_LEVEL: 'silent' }, '节能环保\r产业的主要目标\n');
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split(/\n\n+/)
        .filter((s) => s.includes('——')),
    ).toHaveLength(1);
  });
});
