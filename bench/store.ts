/**
 * `npm run bench:store [-- --json]`: the store under a large audience, each variant in its own
 * process. Data sets are written straight to disk in each format:
 * - legacy (version 1, one JSON document rewritten per write) at 10,000 subscribers × 30
 *   announced issues with their 300,000 delivery records — the size the issue reported;
 * - the file store at the same size, and at 100,000 subscribers × 50 announced issues plus one
 *   issue mid-push (100,000 pending deliveries).
 * Reported: open time, store time per chat answer (count the question + save paging state), per
 * subscribe and per push delivery (claim + part + sent) (p50/p95), RSS; ratios legacy / new at
 * equal size; the longest time the file store held its lock; the file store at 100,000 × 50 once
 * more without fdatasync after each append, to show what the fsync costs. Not a test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const json = process.argv.includes('--json');
const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};
const AT = '2026-01-01T00:00:00.000Z';
const sub = (i: number) => ({
  channel: 'telegram',
  chatId: String(1_000_000 + i),
  isGroup: false,
  topics: i % 5 === 0 ? ['医保'] : [],
  active: true,
  createdAt: AT,
  updatedAt: AT,
});

function legacyData(subscribers: number, issues: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'policybot-bench-legacy-'));
  const deliveries: unknown[] = [];
  for (let k = 0; k < issues; k++)
    for (let i = 0; i < subscribers; i++)
      deliveries.push({ issueKey: `issue:公报:2025:${k}`, channel: 'telegram', chatId: String(1_000_000 + i), status: 'sent', attempts: 1, at: AT });
  const doc = {
    version: 1,
    subscribers: Array.from({ length: subscribers }, (_, i) => sub(i)),
    deliveries,
    feedback: [],
    stats: { asked: 0, answered: 0 },
    unanswered: [],
    sessions: {},
    announced: Array.from({ length: issues }, (_, k) => `issue:公报:2025:${k}`),
  };
  writeFileSync(join(dir, 'store.json'), JSON.stringify(doc));
  return dir;
}

function newData(subscribers: number, issues: number, inProgress: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'policybot-bench-store-'));
  mkdirSync(dir, { recursive: true });
  const lines = (rows: unknown[]): string => rows.map((r) => `${JSON.stringify({ v: 2, ...(r as object) })}\n`).join('');
  writeFileSync(join(dir, 'subscribers.jsonl'), lines(Array.from({ length: subscribers }, (_, i) => sub(i))));
  writeFileSync(
    join(dir, 'announced.jsonl'),
    lines(Array.from({ length: issues }, (_, k) => ({ issueKey: `issue:公报:2025:${k}`, at: AT, sent: subscribers, failed: 0 }))),
  );
  if (inProgress) {
    writeFileSync(
      join(dir, 'deliveries.jsonl'),
      lines(
        Array.from({ length: subscribers }, (_, i) => ({
          issueKey: 'issue:公报:2026:1',
          channel: 'telegram',
          chatId: String(1_000_000 + i),
          topics: [],
          status: i < subscribers / 2 ? 'sent' : 'pending',
          partsDone: 0,
          attempts: 0,
          at: AT,
        })),
      ),
    );
  }
  return dir;
}

/**
 * Runs one worker. For the file store, this process also polls for `<dir>/store.lock` every
 * millisecond and reports the longest stretch the lock existed: the longest one critical section
 * (opening included) held the lock, which must stay far under its stale threshold.
 */
async function measure(kind: 'legacy' | 'file', dir: string, sync: 'sync' | 'nosync' = 'sync'): Promise<Record<string, number | string>> {
  const child = spawn(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', join(ROOT, 'bench', 'store-worker.ts'), kind, dir, sync], {
    cwd: ROOT,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const lockPath = join(dir, 'store.lock');
  let since: number | undefined;
  let longest = 0;
  const poll = setInterval(() => {
    const held = existsSync(lockPath);
    const now = performance.now();
    if (held && since === undefined) since = now;
    else if (!held && since !== undefined) {
      longest = Math.max(longest, now - since);
      since = undefined;
    }
  }, 1);
  const code = await new Promise<number | null>((res) => child.on('close', res));
  clearInterval(poll);
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`store worker ${kind} failed: ${err}`);
  const result = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number | string>;
  return kind === 'file' ? { ...result, longestLockMs: Math.round(longest) } : result;
}

log('legacy store, 10,000 subscribers × 30 issues…');
const legacy = { size: '10k×30', ...(await measure('legacy', legacyData(10_000, 30))) };
log('file store, 10,000 subscribers × 30 issues…');
const small = { size: '10k×30', ...(await measure('file', newData(10_000, 30, false))) };
log('file store, 100,000 subscribers × 50 issues + one mid-push…');
const large = { size: '100k×50+1', ...(await measure('file', newData(100_000, 50, true))) };
log('file store, 100,000 subscribers × 50 issues + one mid-push, without fdatasync…');
const unsynced = { size: '100k×50+1', ...(await measure('file', newData(100_000, 50, true), 'nosync')) };
const ratio = (k: string): number => +(Number(legacy[k as keyof typeof legacy]) / Number(small[k as keyof typeof small])).toFixed(1);
const ratios = { answerP50: ratio('answerP50'), subscribeP50: ratio('subscribeP50'), maxRssMB: ratio('maxRssMB') };
const result = { runs: [legacy, small, large, unsynced] as Array<Record<string, number | string>>, ratiosLegacyOverNew: ratios, node: process.version };
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  for (const r of result.runs) {
    log(
      `${String(r.kind).padEnd(6)} ${String(r.size).padEnd(10)} ${r.fsync ? 'fsync   ' : 'no fsync'} open ${r.openMs} ms · answer p50 ${r.answerP50} ms p95 ${r.answerP95} ms · subscribe p50 ${r.subscribeP50} ms p95 ${r.subscribeP95} ms${r.deliverP50 === undefined ? '' : ` · delivery p50 ${r.deliverP50} ms p95 ${r.deliverP95} ms · longest lock hold ${r.longestLockMs} ms`} · max RSS ${r.maxRssMB} MB`,
    );
  }
  log(`legacy / new at 10k×30: answer ${ratios.answerP50}×, subscribe ${ratios.subscribeP50}×, max RSS ${ratios.maxRssMB}×`);
}
