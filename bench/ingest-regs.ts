/**
 * `npm run bench:ingest [-- DIR] [-- --cli]`: ingests every document of the regs-scale corpus
 * (default ../shared/corpus/regs-scale; its README.md and manifest.tsv are not documents) into
 * an empty data directory, in batches of 500, and prints how many were accepted and refused
 * (with reasons) and the time taken. Then it measures what grows with the corpus: adding one
 * more file to the full corpus, and opening the corpus from the parse cache. With `--cli` the
 * batches go through the CLI as a spawned process (`policybot ingest FILE...`), as a user runs it.
 * Not a test (the whole corpus never runs in CI); test/ingest/regs-sample.test.ts keeps a sample.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingestFile, ingestFiles, loadCorpus } from '../src/corpus/repository.ts';

const ROOT = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const viaCli = argv.includes('--cli');
// a clone sits next to shared/; a worktree one level deeper
const defaultDir = [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')].map((s) => join(s, 'corpus', 'regs-scale')).find((d) => existsSync(d));
const dir = resolve(argv.find((a) => !a.startsWith('--')) ?? defaultDir ?? 'regs-scale');
const files = (await readdir(dir))
  .filter((n) => /-\d+\.md$/.test(n))
  .sort()
  .map((n) => join(dir, n));
const data = await mkdtemp(join(tmpdir(), 'policybot-regs-'));
const BATCH = 500;

let accepted = 0;
const refused: string[] = [];
const t0 = performance.now();
for (let i = 0; i < files.length; i += BATCH) {
  const batch = files.slice(i, i + BATCH);
  if (viaCli) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'ingest', ...batch], {
      cwd: ROOT,
      env: { ...process.env, POLICYBOT_DATA_DIR: data },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status === 0) accepted += (r.stdout.match(/: added → /g) ?? []).length;
    else refused.push(...r.stderr.split('\n').filter((l) => l.startsWith('rejected')));
    continue;
  }
  const r = await ingestFiles(
    data,
    batch.map((path) => ({ path })),
  );
  if (r.ok) accepted += r.outcomes.filter((o) => o.status === 'added').length;
  else refused.push(...r.failures.map((f) => `${f.error.code}: ${f.error.message}`));
}
const ingestMs = performance.now() - t0;

// what must not grow with the corpus: adding one file, reopening from the cache
const extra = join(data, 'extra.md');
await writeFile(extra, '# 某市测试管理办法\n\n第一条 为了测量增量收录的耗时，制定本办法。\n\n第二条 本办法自公布之日起施行。\n');
const t1 = performance.now();
const one = await ingestFiles(data, [{ path: extra }]);
const addOneMs = performance.now() - t1;
const t2 = performance.now();
const corpus = await loadCorpus(data);
const openMs = performance.now() - t2;
const clauses = corpus.files.reduce((s, f) => s + f.documents.reduce((n, d) => n + d.clauses.length, 0), 0);
const noClause = corpus.files.filter((f) => f.documents.every((d) => d.clauses.length === 0)).map((f) => f.file);

// the old cost grew with the corpus: 300 files one by one took 105 s
const single = await mkdtemp(join(tmpdir(), 'policybot-regs1-'));
const t3 = performance.now();
const firstMs: number[] = [];
for (const [i, f] of files.slice(0, 300).entries()) {
  const t = performance.now();
  await ingestFile(single, f);
  if (i < 10 || i >= 290) firstMs.push(performance.now() - t);
}
const oneByOneMs = performance.now() - t3;
await rm(single, { recursive: true, force: true });
const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(`regs-scale ingest${viaCli ? ' (CLI, spawned)' : ''}: ${files.length} files in batches of ${BATCH}`);
console.log(`  accepted ${accepted}, refused ${refused.length}, time ${(ingestMs / 1000).toFixed(1)} s (${(ingestMs / files.length).toFixed(1)} ms/file)`);
for (const r of refused) console.log(`  refused: ${r}`);
console.log(
  `  stored: ${corpus.files.length} files, ${clauses} clauses; files with no clause: ${noClause.length}${noClause.length ? ` (${noClause.slice(0, 10).join(', ')})` : ''}`,
);
console.log(`  add one file to the full corpus: ${addOneMs.toFixed(0)} ms (${one.ok ? 'added' : 'refused'})`);
console.log(`  open the full corpus from the parse cache: ${openMs.toFixed(0)} ms`);
console.log(
  `  300 files one by one (one ingest each): ${(oneByOneMs / 1000).toFixed(1)} s; first 10 avg ${avg(firstMs.slice(0, 10)).toFixed(0)} ms, last 10 avg ${avg(firstMs.slice(10)).toFixed(0)} ms`,
);
await rm(data, { recursive: true, force: true });
