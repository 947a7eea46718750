import type { Clock } from '../clock.ts';

/** Allows at most `limit` events per user in any sliding minute. */
export interface RateLimiter {
  /** Records an attempt; false when the user is over the limit (the attempt is not counted). */
  allow(key: string): boolean;
}

/** A sliding-window limiter on an injected clock; forgets idle users. */
export function createRateLimiter(limit: number, clock: Clock, windowMs = 60_000): RateLimiter {
  const hits = new Map<string, number[]>();
  let sweep = clock.now();
  return {
    allow(key) {
      const now = clock.now();
      if (now - sweep > windowMs * 10) {
        for (const [k, v] of hits) if (v.every((t) => now - t >= windowMs)) hits.delete(k);
        sweep = now;
      }
      const recent = (hits.get(key) ?? []).filter((t) => now - t < windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        return false;
      }
      recent.push(now);
      hits.set(key, recent);
      return true;
    },
  };
}
