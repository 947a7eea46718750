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
 * are about 30/s overall and 1/s per chat.
 */
export function createPacer(clock: Clock, perSecond: number, chatIntervalMs: number): Pacer {
  const gap = perSecond > 0 ? 1000 / perSecond : 0;
  let next = 0;
  const lastByChat = new Map<string, number>();
  let chain: Promise<void> = Promise.resolve();
  return {
    wait(chatId) {
      const run = chain.then(async () => {
        const now = clock.now();
        const chatReady = (lastByChat.get(chatId) ?? -Infinity) + chatIntervalMs;
        const at = Math.max(now, next, chatReady);
        if (at > now) await clock.sleep(at - now);
        const t = clock.now();
        next = t + gap;
        lastByChat.set(chatId, t);
        if (lastByChat.size > 50_000) lastByChat.clear();
      });
      chain = run.catch(() => undefined);
      return run;
    },
  };
}
