import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { PolicyBotError } from '../errors.ts';

/** How often a holder refreshes the lock's mtime (proper-lockfile's `update`), while its event loop runs. */
export const LOCK_UPDATE_MS = 1000;

/**
 * How old the lock's mtime must be before another process takes the lock over (its holder was
 * killed). Well above the refresh: a live holder refreshes every LOCK_UPDATE_MS, but it cannot
 * while a synchronous stretch (folding or compacting a large log) blocks its event loop, so this
 * must also exceed the longest such stretch — opening 100,000 subscribers × 50 issues plus an
 * issue mid-push held the lock 1.3–4.5 s (by the machine's load) before its fold moved out of
 * it; now the longest hold there is well under 0.1 s (npm run bench:store).
 * The price: a process killed while holding the lock keeps the others waiting this long.
 */
export const LOCK_STALE_MS = 20_000;

/** How long a caller waits for the lock before STORE_LOCKED: longer than a dead holder's lock takes to go stale. */
export const LOCK_WAIT_MS = LOCK_STALE_MS + 30_000;

/** The lock's timing (tests shorten it to show take-over and refresh within seconds). */
export interface LockTiming {
  staleMs?: number;
  updateMs?: number;
  waitMs?: number;
  /** Told when one critical section held the lock longer than half of `staleMs` (the margin is thin). */
  onLongHold?: (ms: number) => void;
}

/**
 * An inter-process lock on a directory (proper-lockfile: an atomic mkdir of `<dir>/store.lock`,
 * its mtime refreshed every `updateMs` while held, taken over when older than `staleMs` — its
 * holder was killed). Calls within one process queue up first, so a process never contends with
 * itself.
 */
export class DirLock {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly staleMs: number;
  private readonly updateMs: number;
  private readonly waitMs: number;
  constructor(
    readonly dir: string,
    private readonly onCompromised: (e: Error) => void,
    private readonly timing: LockTiming = {},
  ) {
    this.staleMs = timing.staleMs ?? LOCK_STALE_MS;
    this.updateMs = timing.updateMs ?? LOCK_UPDATE_MS;
    this.waitMs = timing.waitMs ?? LOCK_WAIT_MS;
    // proper-lockfile would quietly clamp these; say so instead
    if (this.updateMs < 1000 || this.updateMs * 2 > this.staleMs) {
      throw new PolicyBotError(
        'INTERNAL',
        `store lock: the refresh (${this.updateMs} ms) must be at least 1000 ms and at most half of stale (${this.staleMs} ms)`,
      );
    }
  }

  /**
   * Takes the lock, trying again every 5–25 ms until `waitMs` have passed by the wall clock
   * (not by a count of retries: under load each try takes longer, and a count of retries once
   * gave up after about 15 s, before a dead holder's lock went stale).
   */
  private async acquire(): Promise<() => Promise<void>> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      try {
        return await lockfile.lock(this.dir, {
          lockfilePath: `${this.dir}/store.lock`,
          realpath: false,
          stale: this.staleMs,
          update: this.updateMs,
          retries: 0,
          onCompromised: this.onCompromised,
        });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() >= deadline) {
          throw new PolicyBotError(
            'STORE_LOCKED',
            `the store in ${this.dir} stayed locked by another process for ${this.waitMs} ms (${(e as Error).message})`,
            { dir: this.dir },
            { cause: e },
          );
        }
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
    }
  }

  /** Runs `fn` while holding the lock. */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      mkdirSync(this.dir, { recursive: true });
      const release = await this.acquire();
      const since = Date.now();
      try {
        return await fn();
      } finally {
        const held = Date.now() - since;
        if (held > this.staleMs / 2) this.timing.onLongHold?.(held);
        await release().catch(() => undefined);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
