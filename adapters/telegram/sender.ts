import { Telegram, TelegramError } from 'telegraf';
import type { Telegram as Methods, Opts } from 'telegraf/types';
import type { Clock } from '../../src/clock.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { RequestTimeout, withTimeout } from '../../src/timeout.ts';
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

/** Why a call failed, for a log line: the message without the token, and the PolicyBotError code if any. */
export function failure(e: unknown, secrets: readonly string[]): { code: string | undefined; message: string } {
  return { code: isPolicyBotError(e) ? e.code : undefined, message: redactSecrets(e instanceof Error ? e.message : String(e), secrets) };
}

/** Default limit on one Bot API request (POLICYBOT_TELEGRAM_TIMEOUT_MS). */
export const DEFAULT_TELEGRAM_TIMEOUT_MS = 10_000;

type CallApiOptions = Parameters<Telegram['callApi']>[2];

/**
 * A telegraf Telegram client whose every Bot API call has a deadline: `timeoutMs`, and for a
 * getUpdates long poll the seconds it asks Telegram to wait plus `timeoutMs`. An API that accepts
 * the connection and never answers fails the call with RequestTimeout (CHANNEL_TIMEOUT) instead of
 * hanging it for telegraf's 500 s. All of telegraf's methods (sendMessage, setMyCommands,
 * answerCbQuery, editMessageReplyMarkup…) go through callApi, so all have it.
 */
export class TimedTelegram extends Telegram {
  constructor(
    token: string,
    options: Partial<Telegram['options']>,
    readonly timeoutMs: number,
  ) {
    super(token, options);
  }

  override callApi<M extends keyof Methods>(method: M, payload: Opts<M>, opts: CallApiOptions = {}): Promise<ReturnType<Methods[M]>> {
    const longPoll = method === 'getUpdates' ? Number((payload as { timeout?: unknown }).timeout ?? 0) * 1000 : 0;
    return withTimeout(
      `Bot API ${method}`,
      longPoll + this.timeoutMs,
      (signal) => super.callApi(method, payload, { signal: signal as never }),
      opts?.signal as AbortSignal | undefined,
    );
  }
}

/** `telegram` with every call limited to `timeoutMs` (itself when it already is). */
export function timedTelegram(telegram: Telegram, timeoutMs: number): TimedTelegram {
  return telegram instanceof TimedTelegram && telegram.timeoutMs === timeoutMs ? telegram : new TimedTelegram(telegram.token, telegram.options, timeoutMs);
}

/** Creates the sender over a telegraf Telegram client. */
export function createTelegramSender(
  telegram: Telegram,
  clock: Clock,
  opts: {
    secrets?: readonly string[];
    retry?: RetryPolicy;
    timeoutMs?: number;
    /** Longest message of a push (Telegram's 4096 by default); longer ones go out in parts. */
    maxChars?: number;
    onRetry?: (f: AttemptFailure, n: number, waitMs: number) => void;
  } = {},
): TelegramSender {
  const secrets = opts.secrets ?? [];
  const api = timedTelegram(telegram, opts.timeoutMs ?? DEFAULT_TELEGRAM_TIMEOUT_MS);
  const send = async (chatId: string, html: string, extra: Record<string, unknown> = {}): Promise<{ message_id: number }> => {
    const { value } = await withRetries(
      () => api.callApi('sendMessage', { chat_id: chatId, text: html, parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...extra }),
      (e) => classifyTelegramError(e, secrets),
      clock,
      opts.retry ?? DEFAULT_RETRY,
      opts.onRetry,
    );
    return value;
  };
  return {
    send,
    sendReply: (chatId, reply, pacer: Pacer, progress) =>
      sendParts(chatId, renderTelegram(reply, opts.maxChars).messages, pacer, (html) => send(chatId, html), progress),
  };
}
