import type { Clock } from '../clock.ts';

/** Spaces out sends: an overall rate, and a minimum interval per chat. */
export interface Pacer {
  /** Waits until a message to `chatId` may go out, then reserves that slot. */
  wait(chatId: string): Promise<void>;
}

/** Pacing switched off (benchmarks, tests of other things). */
export const noPacing: Pacer = { wait: async () => undefined };

/**
 * A pacer on an injected clock: at most `perSecond` messages overall (evenly spaced) and at
 * least `chatIntervalMs` between two messages to the same chat — Telegram's documented limits
 * are about 30/s overall and 1/s per chat. Slots are reserved at once and waited for
 * separately, so concurrent senders overlap their network latency while the rate holds, and a
 * chat waiting for its own interval does not hold up the others.
 */
export function createPacer(clock: Clock, perSecond: number, chatIntervalMs: number): Pacer {
  const gap = perSecond > 0 ? 1000 / perSecond : 0;
  /** overall slots taken, in time order (only those not yet passed) */
  const taken: number[] = [];
  const lastByChat = new Map<string, number>();
  return {
    async wait(chatId) {
      const now = clock.now();
      while (taken.length && taken[0]! <= now - gap) taken.shift();
      let at = Math.max(now, (lastByChat.get(chatId) ?? -Infinity) + chatIntervalMs);
      if (gap > 0) {
        // one pass over the sorted slots finds the earliest time from `at` on that is `gap` away from all
        for (const x of taken) if (Math.abs(x - at) < gap - 1e-6) at = x + gap;
        taken.push(at);
        taken.sort((a, b) => a - b);
      }
      lastByChat.set(chatId, at);
      if (lastByChat.size > 50_000) lastByChat.clear();
      if (at > now) await clock.sleep(at - now);
    },
  };
}
