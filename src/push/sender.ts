import type { Clock } from '../clock.ts';
import type { Reply } from '../conversation/types.ts';
import { PolicyBotError } from '../errors.ts';
import type { Pacer } from './pacer.ts';

/** Why a send failed for good: retrying will not help (the delivery is done, as failed). */
export class PermanentSendError extends PolicyBotError {
  constructor(
    message: string,
    readonly reason: 'blocked' | 'chat-not-found' | 'bad-request',
    options?: { cause?: unknown },
  ) {
    super('SEND_FAILED', message, { reason }, options);
    this.name = 'PermanentSendError';
  }
}

/** A send that kept failing temporarily (5xx, timeout, network): the delivery stays pending. */
export class TemporarySendError extends PolicyBotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEND_FAILED', message, undefined, options);
    this.name = 'TemporarySendError';
  }
}

/**
 * The chat cannot be reached now for a reason of its own, not an outage — WeChat lets an
 * Official Account message a user only within 48 hours of the user's last message. The delivery
 * waits (pending) until the chat becomes reachable; the push goes on with the others.
 */
export class DeferredSendError extends PolicyBotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEND_DEFERRED', message, undefined, options);
    this.name = 'DeferredSendError';
  }
}

/** The channel refused our credentials (Telegram 401/404 on the token): nothing can be sent. */
export class ChannelAuthError extends PolicyBotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CHANNEL_UNAUTHORIZED', message, undefined, options);
    this.name = 'ChannelAuthError';
  }
}

/** What a transport reports about a failed attempt. */
export interface AttemptFailure {
  /** wait this long before retrying (429 retry_after), in ms */
  retryAfterMs?: number;
  /** a temporary failure (5xx, network, timeout): retry with backoff */
  temporary: boolean;
  /** why it is permanent, when it is */
  reason?: PermanentSendError['reason'] | 'unauthorized';
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
 * temporary failures. Throws PermanentSendError on permanent failures (or passes on one the
 * attempt threw, like a DeferredSendError), ChannelAuthError when the
 * credentials are refused, TemporarySendError when the attempts run out.
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
      // the attempt already knows it is final, or must wait for the chat
      if (e instanceof PermanentSendError || e instanceof DeferredSendError) throw e;
      const f = classify(e);
      if (f.reason === 'unauthorized') throw new ChannelAuthError(f.message);
      if (!f.temporary && f.retryAfterMs === undefined) throw new PermanentSendError(f.message, f.reason ?? 'bad-request');
      // the cause only when it is ours (a network error's message may carry a URL with the token)
      if (n >= policy.attempts)
        throw new TemporarySendError(`gave up after ${n} attempts: ${f.message}`, e instanceof PolicyBotError ? { cause: e } : undefined);
      const wait = f.retryAfterMs ?? delay;
      onRetry?.(f, n, wait);
      await clock.sleep(wait);
      if (f.retryAfterMs === undefined) delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** Where a multi-part send resumes, and how it records each part that went out. */
export interface PartProgress {
  /** Parts already delivered (by an earlier, interrupted attempt): skip them. */
  fromPart: number;
  /** Called (and awaited) after each part is delivered, with the number of parts done. */
  onPart(partsDone: number): Promise<void>;
}

/** A channel's way to deliver a reply to one chat (used by pushes; replies use it too). */
export interface ChannelSender {
  /**
   * Renders `reply` for the channel and sends its parts to `chatId` from `progress.fromPart`
   * on, waiting on `pacer` before each part and reporting each delivered part. Throws
   * PermanentSendError, TemporarySendError or ChannelAuthError.
   */
  sendReply(chatId: string, reply: Reply, pacer: Pacer, progress?: PartProgress): Promise<void>;
}

/** Sends `parts` from `progress.fromPart` on through `sendOne`, pacing and recording each. */
export async function sendParts(
  chatId: string,
  parts: readonly string[],
  pacer: Pacer,
  sendOne: (part: string) => Promise<unknown>,
  progress?: PartProgress,
): Promise<void> {
  for (let i = progress?.fromPart ?? 0; i < parts.length; i++) {
    await pacer.wait(chatId);
    await sendOne(parts[i]!);
    await progress?.onPart(i + 1);
  }
}
