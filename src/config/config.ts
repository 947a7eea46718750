import { z } from 'zod';
import { PolicyBotError } from '../errors.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

/** Every environment variable the bot reads, with its default. `.env.example` mirrors this. */
export const ConfigSchema = z.object({
  POLICYBOT_DATA_DIR: z.string().min(1).default('./data'),
  POLICYBOT_ADMIN_IDS: z
    .string()
    .default('')
    .transform((s) => s.split(/[\s,]+/).filter(Boolean)),
  POLICYBOT_MAX_QUESTION_LENGTH: int(10, 2000).default(200),
  POLICYBOT_RATE_LIMIT_PER_MINUTE: int(1, 1000).default(12),
  POLICYBOT_RESULTS_PER_PAGE: int(1, 10).default(1),
  POLICYBOT_PUSH_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM, e.g. 09:00')
    .default('09:00'),
  POLICYBOT_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'expected an IANA time zone such as Asia/Shanghai'),
  POLICYBOT_INBOX_DIR: z.string().optional(),
  POLICYBOT_FEED_URL: optionalUrl,
  POLICYBOT_FEED_TIMEOUT_MS: int(100, 120_000).default(10_000),
  POLICYBOT_FEED_MAX_BYTES: int(1024, 50_000_000).default(5_000_000),
  POLICYBOT_TELEGRAM_MESSAGES_PER_SECOND: z.coerce.number().positive().max(1000).default(25),
  POLICYBOT_TELEGRAM_CHAT_INTERVAL_MS: int(0, 60_000).default(1100),
  POLICYBOT_WECHAT_INTERVAL_MS: int(0, 600_000).default(3000),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'expected a token from @BotFather, like 123456:ABC-DEF…')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TELEGRAM_API_ROOT: optionalUrl,
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_PORT: int(1, 65535).default(8443),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1–256 characters of A-Z a-z 0-9 _ -')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WECHATY_PUPPET: z.string().optional().or(z.literal('').transform(() => undefined)),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().optional().or(z.literal('').transform(() => undefined)),
  // empty (as in .env.example) means "no console"; 0 picks a free port (the log says which)
  POLICYBOT_HTTP_PORT: z.preprocess((v) => (v === '' ? undefined : v), int(0, 65535).optional()),
  POLICYBOT_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  POLICYBOT_ADMIN_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters (e.g. from: openssl rand -hex 24)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  POLICYBOT_HTTP_MAX_UPLOAD_BYTES: int(1024, 200_000_000).default(20_000_000),
  POLICYBOT_HTTP_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Reads configuration once from an environment object. A wrong value throws CONFIG_INVALID
 * naming each variable and what it expects. Secrets never appear in the message.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const v = env[key];
    if (v !== undefined) picked[key] = v.trim();
  }
  const r = ConfigSchema.safeParse(picked);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new PolicyBotError('CONFIG_INVALID', `invalid configuration:\n${lines.join('\n')}`);
  }
  if (r.data.TELEGRAM_WEBHOOK_URL && !r.data.TELEGRAM_WEBHOOK_SECRET) {
    throw new PolicyBotError(
      'CONFIG_INVALID',
      'invalid configuration:\n  TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set (1–256 characters of A-Z a-z 0-9 _ -)',
    );
  }
  return r.data;
}
