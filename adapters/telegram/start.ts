import type { Config } from '../../src/config/config.ts';
import type { Logger } from '../../src/logger.ts';
import { redactSecrets } from '../../src/logger.ts';
import type { TelegramAdapter } from './bot.ts';

/** How the bot receives updates. */
export type TelegramMode = { kind: 'polling' } | { kind: 'webhook'; url: string; port: number; secret: string; host?: string };

/** Reads the mode from config: a webhook when TELEGRAM_WEBHOOK_URL is set, else long polling. */
export function telegramMode(config: Config): TelegramMode {
  if (config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET) {
    return { kind: 'webhook', url: config.TELEGRAM_WEBHOOK_URL, port: config.TELEGRAM_WEBHOOK_PORT, secret: config.TELEGRAM_WEBHOOK_SECRET };
  }
  return { kind: 'polling' };
}

/**
 * Registers the commands and starts receiving updates. Webhook requests without the secret
 * token header are refused by telegraf (403) before they reach a handler.
 */
export async function startTelegram(adapter: TelegramAdapter, mode: TelegramMode, logger: Logger, token: string): Promise<() => void> {
  await adapter.setCommands();
  const fail = (e: unknown): void => {
    logger.error(`telegram stopped: ${redactSecrets(e instanceof Error ? e.message : String(e), [token])}`);
  };
  if (mode.kind === 'polling') {
    adapter.bot.launch({ allowedUpdates: ['message', 'callback_query', 'inline_query'] }).catch(fail);
  } else {
    const u = new URL(mode.url);
    adapter.bot
      .launch({
        allowedUpdates: ['message', 'callback_query', 'inline_query'],
        webhook: { domain: u.origin, path: u.pathname === '/' ? '/telegram' : u.pathname, port: mode.port, secretToken: mode.secret, ...(mode.host ? { host: mode.host } : {}) },
      })
      .catch(fail);
  }
  return () => adapter.bot.stop('shutdown');
}
