/**
 * `npm run bench` (also `npm run bench:scale`) `[-- --json] [-- --sizes shipped,x10,full] [-- --runs N]
 * [-- --engines policybot,minisearch,fuse.js] [-- --budget-ms 60000]`: PolicyBot at real
 * scale, measured as whole processes. Corpora (real text only): the shipped bulletin (1×); the
 * shipped bulletin + the dev corpus + regs-scale documents up to ~10× its clauses; the shipped
 * bulletin + the dev corpus + every regs-scale document that ingests (full). For each size:
 *   - first start (no index snapshot yet: parse, index, write the snapshot), wall time and peak RSS;
 *   - start-up to first answer: `policybot ask Q` as a user runs it (compiled bin, snapshot loaded),
 *     median of N runs, with its peak RSS (GNU time's maximum resident set size);
 *   - query latency in a fresh process over the project's own question file, first pass and warm,
 *     with top-1 on the same questions, for PolicyBot and the minisearch and fuse.js baselines
 *     (bench/latency.ts says how they are set up; fuse.js stops at the query-time budget);
 *   - peak RSS of `policybot eval` over the same questions (the compiled CLI answering all of them);
 *   - at full size: `policybot ingest` of one more regs-scale file, and the first start after it;
 *   - the load average before and after each size, and CPU time beside wall time (the machine
 *     may be shared: CPU time is what other jobs do not inflate).
 * Not a test and not in CI: nothing passes or fails; the targets are printed beside the figures.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { parseFileBytes } from '../src/corpus/repository.ts';

const ROOT = join(import.meta.dirname, '..');
const SHARED =
  process.env.POLICYBOT_SHARED ?? [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')].find((d) => existsSync(d)) ?? join(ROOT, '..', 'shared');
const REGS = join(SHARED, 'corpus', 'regs-scale');
const DEV = join(SHARED, 'corpus', 'dev');
const QUESTIONS = join(ROOT, 'test', 'fixtures', 'questions', 'extra.jsonl');
const QUESTION = '新农合政府补助标准是多少钱';
const WORK = join(tmpdir(), 'policybot-bench-scale');

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const sizes = opt('--sizes', 'shipped,x10,full').split(',');
const runs = Number(opt('--runs', '5'));
const engines = opt('--engines', 'policybot,minisearch,fuse.js').split(',');
const budgetMs = opt('--budget-ms', '60000');
const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};

interface Candidate {
  path: string;
  clauses: number;
}

/** Files that ingest, with their clause counts; refused ones are counted, not hidden. */
function candidates(dir: string, filter: (name: string) => boolean): { ok: Candidate[]; refused: string[] } {
  const ok: Candidate[] = [];
  const refused: string[] = [];
  if (!existsSync(dir)) return { ok, refused };
  for (const name of readdirSync(dir).filter(filter).sort()) {
    const path = join(dir, name);
    try {
      const f = parseFileBytes(readFileSync(path), name);
      ok.push({ path, clauses: f.documents.reduce((s, d) => s + d.clauses.length, 0) });
    } catch {
      refused.push(name);
    }
  }
  return { ok, refused };
}

const isDoc = (n: string): boolean => n.endsWith('.md') && n !== 'README.md' && n !== 'SOURCES.md';
const shipped = candidates(join(ROOT, 'data', 'bulletins'), () => true);
const dev = candidates(DEV, isDoc);
log('checking which regs-scale documents ingest…');
const regs = candidates(REGS, isDoc);
if (regs.ok.length === 0) throw new Error(`no regs-scale documents at ${REGS} (set POLICYBOT_SHARED to the folder holding corpus/)`);
const shippedClauses = shipped.ok.reduce((s, c) => s + c.clauses, 0);
// the last regs document is held out of the full corpus, to time ingesting one more file
const heldOut = regs.ok[regs.ok.length - 1]!;
const regsIn = regs.ok.slice(0, -1);

function selection(size: string): Candidate[] {
  if (size === 'shipped') return shipped.ok;
  if (size === 'full') return [...shipped.ok, ...dev.ok, ...regsIn];
  // ~10×: regs documents spread over the whole list (every category), added until 10× the clauses
  const out = [...shipped.ok, ...dev.ok];
  let total = out.reduce((s, c) => s + c.clauses, 0);
  const step = 7;
  for (let k = 0; k < step && total < 10 * shippedClauses; k++) {
    for (let i = k; i < regsIn.length && total < 10 * shippedClauses; i += step) {
      out.push(regsIn[i]!);
      total += regsIn[i]!.clauses;
    }
  }
  return out;
}

function prepare(size: string): { dir: string; files: number; clauses: number } {
  const dir = join(WORK, size);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'bulletins'), { recursive: true });
  cpSync(join(ROOT, 'data', 'dictionaries'), join(dir, 'dictionaries'), { recursive: true });
  const files = selection(size);
  for (const f of files) cpSync(f.path, join(dir, 'bulletins', basename(f.path)));
  return { dir, files: files.length, clauses: files.reduce((s, c) => s + c.clauses, 0) };
}

const hasTime = existsSync('/usr/bin/time');

/** Runs one whole process; wall time measured here, peak RSS by GNU time when installed. */
function measure(args: string[], dataDir: string): { ms: number; rssMB: number | null; cpuMs: number | null; stdout: string } {
  const cmd = hasTime ? '/usr/bin/time' : process.execPath;
  const full = hasTime ? ['-f', 'PEAK_RSS_KB %M CPU_S %U %S', process.execPath, ...args] : args;
  const t0 = performance.now();
  const r = spawnSync(cmd, full, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, POLICYBOT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /PEAK_RSS_KB (\d+) CPU_S ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return {
    ms: Math.round(ms),
    rssMB: m ? Math.round(Number(m[1]) / 1024) : null,
    cpuMs: m ? Math.round((Number(m[2]) + Number(m[3])) * 1000) : null,
    stdout: r.stdout,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bin = join(ROOT, 'bin', 'policybot.js');

// make sure dist/ is current before anything is timed
spawnSync(process.execPath, [bin, 'help'], { cwd: ROOT, stdio: 'ignore' });

const rows: Array<Record<string, unknown>> = [];
const engineRows: Array<Record<string, unknown>> = [];
const load = (): number => +loadavg()[0]!.toFixed(1);
const loadAtStart = load();
for (const size of sizes) {
  const loadBefore = load();
  const { dir, files, clauses } = prepare(size);
  log(`${size}: ${files} files, ${clauses} clauses — first start (builds the index snapshot)…`);
  const cold = measure([bin, 'ask', QUESTION], dir);
  let ingest: { ms: number; rssMB: number | null } | undefined;
  let afterIngest: { ms: number; rssMB: number | null } | undefined;
  if (size === 'full') {
    log(`${size}: ingesting one more file (${basename(heldOut.path)})…`);
    ingest = measure([bin, 'ingest', heldOut.path], dir);
    afterIngest = measure([bin, 'ask', QUESTION], dir);
  }
  log(`${size}: start-up to first answer ×${runs}…`);
  const starts = Array.from({ length: runs }, () => measure([bin, 'ask', QUESTION], dir));
  log(`${size}: policybot eval over the questions (peak RSS while answering all of them)…`);
  const evalRun = measure([bin, 'eval', QUESTIONS], dir);
  const results = engines.map((engine): Record<string, number | string | null> => {
    log(`${size}: query latency and top-1, ${engine}…`);
    const m = measure(['--max-old-space-size=6144', '--import', 'tsx', join(ROOT, 'bench', 'latency.ts'), dir, QUESTIONS, engine, budgetMs], dir);
    return { size, ...(JSON.parse(m.stdout.trim().split('\n').pop()!) as Record<string, number | string>), peakRssMB: m.rssMB };
  });
  engineRows.push(...results);
  const lat = results.find((r) => r.engine === 'policybot') ?? results[0]!;
  rows.push({
    size,
    files: files + (ingest ? 1 : 0),
    clauses: lat.clauses,
    coldStartMs: cold.ms,
    coldRssMB: cold.rssMB,
    startMs: median(starts.map((s) => s.ms)),
    startCpuMs: median(starts.map((s) => s.cpuMs ?? 0)) || null,
    startRssMB: Math.max(...starts.map((s) => s.rssMB ?? 0)) || null,
    evalRssMB: evalRun.rssMB,
    ...(ingest ? { ingestOneMs: ingest.ms, ingestOneRssMB: ingest.rssMB, startAfterIngestMs: afterIngest!.ms } : {}),
    firstP50: lat.firstP50,
    firstP95: lat.firstP95,
    warmP50: lat.warmP50,
    warmP95: lat.warmP95,
    firstCpuP95: lat.firstCpuP95,
    warmCpuP95: lat.warmCpuP95,
    top1: lat.top1,
    load: `${loadBefore}→${load()}`,
  });
}

const at = (size: string): Record<string, unknown> | undefined => rows.find((r) => r.size === size);
const base = at('shipped');
const full = at('full');
const ratio = (k: string): number | null => (base && full && Number(base[k]) > 0 ? +(Number(full[k]) / Number(base[k])).toFixed(2) : null);
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? '',
  memGB: Math.round(totalmem() / 2 ** 30),
  platform: `${process.platform} ${process.arch}`,
};
const result = {
  machine,
  refused: { shipped: shipped.refused, dev: dev.refused, regs: regs.refused },
  heldOut: basename(heldOut.path),
  rows,
  engines: engineRows,
  ratios: { startFullOverShipped: ratio('startMs'), startCpuFullOverShipped: ratio('startCpuMs'), rssFullOverShipped: ratio('startRssMB') },
  load: { start: loadAtStart, end: load() },
};
if (json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const cols: Array<[string, string]> = [
    ['size', 'size'],
    ['files', 'files'],
    ['clauses', 'clauses'],
    ['coldStartMs', 'build ms'],
    ['coldRssMB', 'build MB'],
    ['startMs', 'start ms'],
    ['startCpuMs', 'start cpu'],
    ['startRssMB', 'start MB'],
    ['evalRssMB', 'eval MB'],
    ['firstP50', '1st p50'],
    ['firstP95', '1st p95'],
    ['firstCpuP95', '1st cpu95'],
    ['warmP50', 'warm p50'],
    ['warmP95', 'warm p95'],
    ['warmCpuP95', 'warm cpu95'],
    ['top1', 'top-1'],
    ['load', 'load'],
  ];
  console.log(cols.map(([, h], i) => (i === 0 ? h.padEnd(8) : h.padStart(11))).join(''));
  for (const r of rows) console.log(cols.map(([k], i) => (i === 0 ? String(r[k]).padEnd(8) : String(r[k] ?? '—').padStart(11))).join(''));
  console.log('\nengines on the same clauses and questions (ms; first pass, warm; index build; peak RSS of the process):');
  const ecols: Array<[string, string]> = [
    ['size', 'size'],
    ['engine', 'engine'],
    ['scored', 'questions'],
    ['buildMs', 'build ms'],
    ['peakRssMB', 'peak MB'],
    ['firstP50', '1st p50'],
    ['firstP95', '1st p95'],
    ['warmP50', 'warm p50'],
    ['warmP95', 'warm p95'],
    ['warmCpuP95', 'warm cpu95'],
    ['top1', 'top-1'],
  ];
  console.log(ecols.map(([, h], i) => (i < 2 ? h.padEnd(12) : h.padStart(10))).join(''));
  for (const r of engineRows) console.log(ecols.map(([k], i) => (i < 2 ? String(r[k]).padEnd(12) : String(r[k] ?? '—').padStart(10))).join(''));
  if (full?.ingestOneMs !== undefined) {
    console.log(
      `\ningest one more file into the full corpus: ${full.ingestOneMs} ms (peak ${full.ingestOneRssMB} MB); first start after it (snapshot rebuilt): ${full.startAfterIngestMs} ms`,
    );
  }
  const r = result.ratios;
  console.log(
    `start-up full / shipped: ×${r.startFullOverShipped} wall, ×${r.startCpuFullOverShipped} CPU (target ≤ 2.5); peak RSS full / shipped: ×${r.rssFullOverShipped}`,
  );
  console.log('targets: start ≤ 1000 ms shipped; peak ≤ 350 MB full; first-pass p95 ≤ 5 ms, warm p95 ≤ 2 ms at full scale; ingest one file ≤ 2000 ms');
  console.log(`load average (1 min) at the start ${result.load.start}, at the end ${result.load.end}, on ${machine.cpus} cores`);
  const refused = [...result.refused.shipped, ...result.refused.dev, ...result.refused.regs];
  console.log(`refused by ingestion (left out): ${refused.length ? refused.join(', ') : 'none'}`);
  console.log(
    `machine: ${machine.cpu}, ${machine.cpus} cores, ${machine.memGB} GB, ${machine.platform}, Node ${machine.node}; latency in ms, memory in MB (peak RSS)`,
  );
}
