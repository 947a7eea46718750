import type { Config } from '../../src/config/config.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../../src/push/sender.ts';

/** The Telegram adapter's network settings from config: attempts per message and request timeout. */
export function telegramOptions(config: Config): { retry: RetryPolicy; timeoutMs: number } {
  return { retry: { ...DEFAULT_RETRY, attempts: config.POLICYBOT_SEND_ATTEMPTS }, timeoutMs: config.POLICYBOT_TELEGRAM_TIMEOUT_MS };
}
