import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { PolicyBotError } from '../errors.ts';

/** How long a lock may go without its holder refreshing it before others take it over (ms). */
export const LOCK_STALE_MS = 5000;

/**
 * An inter-process lock on a directory (proper-lockfile: an atomic mkdir of `<dir>/store.lock`,
 * refreshed while held, taken over when stale — its holder was killed). Calls within one process
 * queue up first, so a process never contends with itself.
 */
export class DirLock {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    readonly dir: string,
    private readonly onCompromised: (e: Error) => void,
    private readonly waitMs = 30_000,
  ) {}

  /** Runs `fn` while holding the lock. */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      mkdirSync(this.dir, { recursive: true });
      let release: () => Promise<void>;
      try {
        release = await lockfile.lock(this.dir, {
          lockfilePath: `${this.dir}/store.lock`,
          realpath: false,
          stale: LOCK_STALE_MS,
          retries: { retries: Math.ceil(this.waitMs / 25), factor: 1, minTimeout: 5, maxTimeout: 25, randomize: true },
          onCompromised: this.onCompromised,
        });
      } catch (e) {
        throw new PolicyBotError(
          'STORE_LOCKED',
          `the store in ${this.dir} stayed locked by another process for ${this.waitMs} ms (${(e as Error).message})`,
          { dir: this.dir },
          { cause: e },
        );
      }
      try {
        return await fn();
      } finally {
        await release().catch(() => undefined);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
