import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/bot.ts';
import { startTelegram, type TelegramMode } from '../../adapters/telegram/start.ts';
import type { App } from '../app.ts';
import type { Config } from '../config/config.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../push/sender.ts';

/** Reads the mode from config: a webhook when TELEGRAM_WEBHOOK_URL is set, else long polling. */
export function telegramMode(config: Config): TelegramMode {
  if (config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET) {
    return { kind: 'webhook', url: config.TELEGRAM_WEBHOOK_URL, port: config.TELEGRAM_WEBHOOK_PORT, secret: config.TELEGRAM_WEBHOOK_SECRET };
  }
  return { kind: 'polling' };
}

/** The Telegram adapter's settings from config: attempts per message, request timeout, longest message. */
export function telegramOptions(config: Config): { retry: RetryPolicy; timeoutMs: number; maxChars: number } {
  return {
    retry: { ...DEFAULT_RETRY, attempts: config.POLICYBOT_SEND_ATTEMPTS },
    timeoutMs: config.POLICYBOT_TELEGRAM_TIMEOUT_MS,
    maxChars: config.POLICYBOT_TELEGRAM_MAX_CHARS,
  };
}

/** The Telegram adapter for the configured token (TELEGRAM_BOT_TOKEN must be set). */
export function telegramAdapterFromConfig(app: App, token: string): TelegramAdapter {
  const { config } = app;
  return createTelegramAdapter({
    token,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    conversation: app.conversation,
    clock: app.clock,
    logger: app.logger,
    ...telegramOptions(config),
  });
}

/** Starts the Telegram adapter from config: polling or webhook, connect attempts; the adapter carries the request timeout. */
export async function startTelegramFromConfig(app: App, token: string): Promise<{ adapter: TelegramAdapter; mode: TelegramMode; stop: () => Promise<void> }> {
  const adapter = telegramAdapterFromConfig(app, token);
  const mode = telegramMode(app.config);
  const stop = await startTelegram(adapter, mode, app.logger, token, {
    clock: app.clock,
    attempts: app.config.POLICYBOT_TELEGRAM_CONNECT_ATTEMPTS,
  });
  return { adapter, mode, stop };
}
