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

/** Creates a manual clock starting at `start` (ms). `sleep` advances time instead of waiting. */
export function createManualClock(start = Date.UTC(2026, 0, 1, 1, 0, 0)): ManualClock {
  let t = start;
  const clock: ManualClock = {
    now: () => t,
    sleep: async (ms) => {
      const d = Math.max(0, ms);
      t += d;
      clock.slept += d;
    },
    advance: (ms) => {
      t += ms;
    },
    slept: 0,
  };
  return clock;
}
