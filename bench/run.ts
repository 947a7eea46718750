/**
 * `npm run bench [-- --json] [-- --quick]`: speed and size of PolicyBot's search against fuse.js
 * and minisearch on the same clauses, on the shipped corpus and a generated large one; CLI
 * start-up to first answer; push fan-out. Every figure comes from this one run; ratios are
 * ours / baseline. Not a test: nothing here passes or fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};

function worker(...argv: string[]): Record<string, number | string> {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', join(ROOT, 'bench', 'worker.ts'), ...argv], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    timeout: 30 * 60_000,
  });
  if (r.status !== 0) throw new Error(`worker ${argv.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function startupToFirstAnswer(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'ask', '--json', '新农合政府补助标准是多少钱'], { cwd: ROOT });
    child.stdout.once('data', () => resolve(performance.now() - t0));
    child.on('error', reject);
  });
}

const corpora = quick ? ['shipped'] : ['shipped', 'large'];
const engines: Array<Record<string, number | string>> = [];
for (const corpus of corpora) {
  for (const name of ['policybot', 'fuse.js', 'minisearch']) {
    log(`measuring ${name} on the ${corpus} corpus…`);
    engines.push(worker('engine', name, corpus));
  }
}
const ratios = corpora.flatMap((corpus) => {
  const ours = engines.find((e) => e.engine === 'policybot' && e.corpus === corpus)!;
  return ['fuse.js', 'minisearch'].map((base) => {
    const b = engines.find((e) => e.engine === base && e.corpus === corpus)!;
    const r = (k: string): number => +(Number(ours[k]) / Number(b[k])).toFixed(4);
    return { corpus, baseline: base, p50: r('p50'), p95: r('p95'), p99: r('p99'), buildMs: r('buildMs'), heapMB: r('heapMB'), speedupP95: +(Number(b.p95) / Number(ours.p95)).toFixed(1) };
  });
});
log('measuring CLI start-up to first answer…');
const startups: number[] = [];
for (let i = 0; i < 5; i++) startups.push(await startupToFirstAnswer());
startups.sort((a, b) => a - b);
const startupMs = Math.round(startups[2]!);
log('measuring push fan-out…');
const push = worker('push', quick ? '1000' : '10000');

const result = { engines, ratios, startupMs, push, node: process.version };
if (json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const pad = (s: unknown, n: number): string => String(s).padStart(n);
  console.log(`\n${'engine'.padEnd(12)}${'corpus'.padEnd(9)}${pad('clauses', 8)}${pad('build ms', 10)}${pad('heap MB', 9)}${pad('rss MB', 8)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}`);
  for (const e of engines) {
    console.log(`${String(e.engine).padEnd(12)}${String(e.corpus).padEnd(9)}${pad(e.clauses, 8)}${pad(e.buildMs, 10)}${pad(e.heapMB, 9)}${pad(e.rssMB, 8)}${pad(e.p50, 9)}${pad(e.p95, 9)}${pad(e.p99, 9)}`);
  }
  console.log(`\nratios ours / baseline (lower is better; speed-up = baseline p95 / ours):`);
  for (const r of ratios) console.log(`  ${r.corpus.padEnd(8)} vs ${r.baseline.padEnd(11)} p95 ×${r.p95}  build ×${r.buildMs}  heap ×${r.heapMB}  speed-up ${r.speedupP95}×`);
  console.log(`\nCLI start-up to first answer (shipped corpus, median of 5): ${startupMs} ms`);
  console.log(`push fan-out: ${push.sent} messages to ${push.subscribers} subscribers in ${push.seconds} s = ${push.messagesPerSecond} msg/s, RSS ${push.rssMB} MB (+${push.rssGrowthMB} MB)`);
}
