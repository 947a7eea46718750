/** Time, injected: the system clock in production, a manual one in tests and benchmarks. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
};

/** A clock that only moves when told to; sleeping advances it at once (time-travel for tests). */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** Total time slept through this clock. */
  slept: number;
}

/**
 * Creates a manual clock starting at `start` (ms). `sleep` does not wait: sleepers wake in
 * the order of their wake-up times, the clock jumping to each (virtual time), so concurrent
 * sleepers (paced senders) see consistent times.
 */
export function createManualClock(start = Date.UTC(2026, 0, 1, 1, 0, 0)): ManualClock {
  let t = start;
  let seq = 0;
  const timers: Array<{ at: number; seq: number; wake: () => void }> = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = timers.shift();
    if (!next) return;
    t = Math.max(t, next.at);
    next.wake();
    if (timers.length) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  const clock: ManualClock = {
    now: () => t,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        const d = Math.max(0, ms);
        clock.slept += d;
        timers.push({ at: t + d, seq: seq++, wake });
        schedule();
      }),
    advance: (ms) => {
      t += ms;
    },
    slept: 0,
  };
  return clock;
}
