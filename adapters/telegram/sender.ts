import { TelegramError, type Telegram } from 'telegraf';
import type { Clock } from '../../src/clock.ts';
import { PolicyBotError } from '../../src/errors.ts';
import type { Pacer } from '../../src/push/pacer.ts';
import { renderTelegram } from './render.ts';
import { redactSecrets } from '../../src/logger.ts';
import { DEFAULT_RETRY, withRetries, type AttemptFailure, type ChannelSender, type RetryPolicy, sendParts } from '../../src/push/sender.ts';

/** Sends HTML messages through the Bot API with retries; the token never leaves in an error. */
export interface TelegramSender extends ChannelSender {
  send(chatId: string, html: string, extra?: Record<string, unknown>): Promise<{ message_id: number }>;
}

/** How a Bot API failure should be handled. */
export function classifyTelegramError(e: unknown, secrets: readonly string[] = []): AttemptFailure {
  if (e instanceof TelegramError) {
    const msg = redactSecrets(`${e.code}: ${e.description}`, secrets);
    if (e.code === 429) return { temporary: true, retryAfterMs: (e.parameters?.retry_after ?? 1) * 1000, message: msg };
    if (e.code >= 500) return { temporary: true, message: msg };
    // a revoked or wrong token: the Bot API answers 401 (or 404 for a malformed one)
    if (e.code === 401 || (e.code === 404 && /not found/i.test(e.description))) {
      return { temporary: false, reason: 'unauthorized', message: `${msg} — the Bot API refused TELEGRAM_BOT_TOKEN` };
    }
    if (e.code === 403) return { temporary: false, reason: 'blocked', message: msg };
    if (e.code === 400 && /chat not found|user not found|PEER_ID_INVALID/i.test(e.description))
      return { temporary: false, reason: 'chat-not-found', message: msg };
    return { temporary: false, reason: 'bad-request', message: msg };
  }
  if (e instanceof RequestTimeout) return { temporary: true, message: e.message };
  // network errors (their messages carry the request URL, hence the token: redact)
  return { temporary: true, message: redactSecrets(e instanceof Error ? e.message : String(e), secrets) };
}

/** A Bot API request that got no answer in time. */
export class RequestTimeout extends PolicyBotError {
  constructor(method: string, ms: number) {
    super('CHANNEL_UNAVAILABLE', `Bot API ${method} timed out after ${ms} ms`, { method, ms });
    this.name = 'RequestTimeout';
  }
}

/** Default limit on one Bot API request (POLICYBOT_TELEGRAM_TIMEOUT_MS). */
export const DEFAULT_TELEGRAM_TIMEOUT_MS = 10_000;

/**
 * Calls a Bot API method with a timeout: an API that accepts the connection and never answers
 * fails the call with RequestTimeout instead of hanging it.
 */
export async function callWithTimeout<T>(telegram: Telegram, method: string, payload: Record<string, unknown>, timeoutMs: number): Promise<T> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    return (await telegram.callApi(method as never, payload as never, { signal: ctrl.signal as never })) as T;
  } catch (e) {
    if (ctrl.signal.aborted) throw new RequestTimeout(method, timeoutMs);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Creates the sender over a telegraf Telegram client. */
export function createTelegramSender(
  telegram: Telegram,
  clock: Clock,
  opts: { secrets?: readonly string[]; retry?: RetryPolicy; timeoutMs?: number; onRetry?: (f: AttemptFailure, n: number, waitMs: number) => void } = {},
): TelegramSender {
  const secrets = opts.secrets ?? [];
  const send = async (chatId: string, html: string, extra: Record<string, unknown> = {}): Promise<{ message_id: number }> => {
    const { value } = await withRetries(
      () =>
        callWithTimeout<{ message_id: number }>(
          telegram,
          'sendMessage',
          { chat_id: chatId, text: html, parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...extra },
          opts.timeoutMs ?? DEFAULT_TELEGRAM_TIMEOUT_MS,
        ),
      (e) => classifyTelegramError(e, secrets),
      clock,
      opts.retry ?? DEFAULT_RETRY,
      opts.onRetry,
    );
    return value;
  };
  return {
    send,
    sendReply: (chatId, reply, pacer: Pacer, progress) => sendParts(chatId, renderTelegram(reply).messages, pacer, (html) => send(chatId, html), progress),
  };
}
