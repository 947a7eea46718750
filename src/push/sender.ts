import type { Clock } from '../clock.ts';
import type { Reply } from '../conversation/types.ts';
import type { Pacer } from './pacer.ts';

/** Why a send failed for good: retrying will not help. */
export class PermanentSendError extends Error {
  readonly code = 'SEND_FAILED' as const;
  constructor(message: string, readonly reason: 'blocked' | 'chat-not-found' | 'bad-request' | 'exhausted') {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/** What a transport reports about a failed attempt. */
export interface AttemptFailure {
  /** wait this long before retrying (429 retry_after), in ms */
  retryAfterMs?: number;
  /** a temporary failure (5xx, network): retry with backoff */
  temporary: boolean;
  /** why it is permanent, when it is */
  reason?: PermanentSendError['reason'];
  message: string;
}

/** Retry policy: attempts and the first backoff (doubled each time, with a cap). */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * Runs `attempt` until it succeeds: waits retry_after on 429, backs off exponentially on
 * temporary failures, and throws PermanentSendError on permanent ones or when attempts run out.
 * `classify` turns a thrown error into an AttemptFailure (transport-specific).
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  classify: (e: unknown) => AttemptFailure,
  clock: Clock,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (f: AttemptFailure, attemptNo: number, waitMs: number) => void,
): Promise<{ value: T; attempts: number }> {
  let delay = policy.baseDelayMs;
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(), attempts: n };
    } catch (e) {
      const f = classify(e);
      if (!f.temporary && f.retryAfterMs === undefined) throw new PermanentSendError(f.message, f.reason ?? 'bad-request');
      if (n >= policy.attempts) throw new PermanentSendError(`gave up after ${n} attempts: ${f.message}`, 'exhausted');
      const wait = f.retryAfterMs ?? delay;
      onRetry?.(f, n, wait);
      await clock.sleep(wait);
      if (f.retryAfterMs === undefined) delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** A channel's way to deliver a reply to one chat (used by pushes; replies use it too). */
export interface ChannelSender {
  /**
   * Renders `reply` for the channel and sends it to `chatId`, waiting on `pacer` before each
   * message. Throws PermanentSendError when the chat cannot be reached.
   */
  sendReply(chatId: string, reply: Reply, pacer: Pacer): Promise<void>;
}
