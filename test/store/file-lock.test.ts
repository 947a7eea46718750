import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirLock, LOCK_STALE_MS, LOCK_UPDATE_MS, LOCK_WAIT_MS } from '../../src/store/file-lock.ts';
import { ROOT, until } from '../helpers.ts';

interface Holder {
  child: ChildProcess;
  /** When the event happened (Date.now() in the holder), or undefined. */
  at(ev: 'waiting' | 'acquired' | 'released' | 'compromised'): number | undefined;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A real process that takes the store lock of `dir` and holds it (test/store/lock-holder.ts). */
function holder(dir: string, holdMs: number, mode: 'busy' | 'idle', timing?: { staleMs: number; updateMs: number }): Holder {
  const args = [join(ROOT, 'test/store/lock-holder.ts'), dir, String(holdMs), mode, ...(timing ? [String(timing.staleMs), String(timing.updateMs)] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT });
  children.push(child);
  const events = new Map<string, number>();
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const e = JSON.parse(out.slice(0, nl)) as { ev: string; at: number };
      events.set(e.ev, e.at);
      out = out.slice(nl + 1);
    }
  });
  child.stderr!.on('data', (d) => process.stderr.write(d));
  const exit = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  return { child, at: (ev) => events.get(ev), exit };
}

const tmp = () => mkdtemp(join(tmpdir(), 'policybot-lock-'));

/**
 * One process holds the lock for `holdMs`; a second asks for it once the first has it. Checks
 * that the second got it only after the first released it, and the first never lost it.
 */
async function holdWhileAnotherWaits(holdMs: number, mode: 'busy' | 'idle', timing?: { staleMs: number; updateMs: number }): Promise<{ a: Holder; b: Holder }> {
  const dir = await tmp();
  const a = holder(dir, holdMs, mode, timing);
  await until(() => a.at('acquired') !== undefined, 20_000);
  const b = holder(dir, 0, 'idle', timing);
  expect(await a.exit).toBe(0);
  expect(await b.exit).toBe(0);
  expect(b.at('acquired')!).toBeGreaterThanOrEqual(a.at('released')!);
  expect(a.at('compromised')).toBeUndefined();
  return { a, b };
}

describe('the file store lock between real processes', () => {
  it('the shipped timing: a stale threshold far above the refresh, and a wait longer than the threshold', () => {
    expect(LOCK_STALE_MS).toBeGreaterThanOrEqual(10 * LOCK_UPDATE_MS);
    expect(LOCK_WAIT_MS).toBeGreaterThan(LOCK_STALE_MS);
  });

  it('a holder whose event loop is blocked for 8 s (longer than the old 5 s threshold, like a large fold) keeps the lock: the other process waits', async () => {
    const { a, b } = await holdWhileAnotherWaits(8000, 'busy');
    expect(b.at('waiting')!).toBeLessThan(a.at('released')!);
  }, 60_000);

  it('a holder with a free event loop refreshes the lock: held 7 s with a 3 s threshold, it is never taken over', async () => {
    const timing = { staleMs: 3000, updateMs: 1000 };
    const { a, b } = await holdWhileAnotherWaits(7000, 'idle', timing);
    expect(b.at('acquired')! - a.at('acquired')!).toBeGreaterThan(timing.staleMs);
  }, 60_000);

  it('a holder killed with SIGKILL: the other process takes the lock over once it is stale, not before', async () => {
    const dir = await tmp();
    const timing = { staleMs: 3000, updateMs: 1000 };
    const a = holder(dir, 60_000, 'idle', timing);
    await until(() => a.at('acquired') !== undefined, 20_000);
    const b = holder(dir, 0, 'idle', timing);
    await until(() => b.at('waiting') !== undefined, 20_000);
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exit;
    expect(await b.exit).toBe(0);
    expect(b.at('acquired')! - killedAt).toBeGreaterThan(timing.staleMs - 1000 - 100);
    expect(b.at('acquired')! - killedAt).toBeLessThan(timing.staleMs + 5000);
  }, 60_000);

  it('a waiter waits its whole wait by the clock before STORE_LOCKED, however fast each try fails (a count of retries gave up after a fraction of it)', async () => {
    const dir = await tmp();
    const timing = { staleMs: 20_000, updateMs: 1000, waitMs: 2500 };
    const a = new DirLock(dir, () => undefined, timing);
    const b = new DirLock(dir, () => undefined, timing);
    let held!: () => void;
    const holding = a.run(() => new Promise<void>((r) => (held = r)));
    await until(() => held !== undefined, 5000);
    const t0 = Date.now();
    await expect(b.run(() => 'got it')).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    const waited = Date.now() - t0;
    held();
    await holding;
    expect(waited).toBeGreaterThanOrEqual(timing.waitMs);
    expect(waited).toBeLessThan(timing.waitMs + 2000);
    // once released, the next caller gets it at once
    expect(await b.run(() => 'got it')).toBe('got it');
  }, 30_000);
});
