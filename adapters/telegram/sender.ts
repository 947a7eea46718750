import { TelegramError, type Telegram } from 'telegraf';
import type { Clock } from '../../src/clock.ts';
import type { Pacer } from '../../src/push/pacer.ts';
import { renderTelegram } from './render.ts';
import { redactSecrets } from '../../src/logger.ts';
import { DEFAULT_RETRY, withRetries, type AttemptFailure, type ChannelSender, type RetryPolicy } from '../../src/push/sender.ts';

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
    if (e.code === 403) return { temporary: false, reason: 'blocked', message: msg };
    if (e.code === 400 && /chat not found|user not found|PEER_ID_INVALID/i.test(e.description)) return { temporary: false, reason: 'chat-not-found', message: msg };
    return { temporary: false, reason: 'bad-request', message: msg };
  }
  // network errors (their messages carry the request URL, hence the token: redact)
  return { temporary: true, message: redactSecrets(e instanceof Error ? e.message : String(e), secrets) };
}

/** Creates the sender over a telegraf Telegram client. */
export function createTelegramSender(
  telegram: Telegram,
  clock: Clock,
  opts: { secrets?: readonly string[]; retry?: RetryPolicy; onRetry?: (f: AttemptFailure, n: number, waitMs: number) => void } = {},
): TelegramSender {
  const secrets = opts.secrets ?? [];
  const send = async (chatId: string, html: string, extra: Record<string, unknown> = {}): Promise<{ message_id: number }> => {
    const { value } = await withRetries(
      () => telegram.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...extra }),
      (e) => classifyTelegramError(e, secrets),
      clock,
      opts.retry ?? DEFAULT_RETRY,
      opts.onRetry,
    );
    return value;
  };
  return {
    send,
    async sendReply(chatId, reply, pacer: Pacer) {
      for (const html of renderTelegram(reply).messages) {
        await pacer.wait(chatId);
        await send(chatId, html);
      }
    },
  };
}
