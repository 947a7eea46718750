import { z } from 'zod';
import { PolicyBotError } from '../errors.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

const databaseUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a PostgreSQL URL such as postgres://user:password@host:5432/policybot')
  .optional()
  .or(z.literal('').transform(() => undefined));
/** An optional variable: unset and empty both mean "not set". */
const optional = <T extends z.ZodType>(schema: T) => schema.optional().or(z.literal('').transform(() => undefined));

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
  WECHATY_PUPPET: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WECHATY_PUPPET_SERVICE_TOKEN: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  POLICYBOT_DATABASE_URL: databaseUrl,
  /** The conventional name many hosts set; POLICYBOT_DATABASE_URL wins when both are set. */
  DATABASE_URL: databaseUrl,
  POLICYBOT_PUSH_CONCURRENCY: int(1, 64).default(8),
  /** `start`: how often to look for bulletins another process added (push --once, ingest); 0 = never. */
  POLICYBOT_CORPUS_RELOAD_MS: int(0, 86_400_000).default(30_000),
  POLICYBOT_SEND_ATTEMPTS: int(1, 10).default(5),
  POLICYBOT_TELEGRAM_TIMEOUT_MS: int(500, 120_000).default(10_000),
  POLICYBOT_TELEGRAM_CONNECT_ATTEMPTS: int(1, 100).default(8),
  /** Longest Telegram message; longer replies and pushes go out in several, split between clauses. */
  POLICYBOT_TELEGRAM_MAX_CHARS: int(150, 4096).default(4096),
  /** Limit on every WeChat request: wechaty puppet calls (find, say) and Official Account / WeCom API calls. */
  POLICYBOT_WECHAT_TIMEOUT_MS: int(500, 120_000).default(10_000),
  WECHAT_MP_TOKEN: optional(
    z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'expected the Token you entered in 公众号后台 → 设置与开发 → 基本配置 → 服务器配置 (3–32 letters or digits)'),
  ),
  WECHAT_MP_APPID: optional(z.string().regex(/^wx[0-9a-f]{16}$/i, 'expected the AppID of the Official Account (基本配置), like wx1234567890abcdef')),
  WECHAT_MP_AES_KEY: optional(z.string().regex(/^[A-Za-z0-9+/]{43}$/, 'expected the 43-character EncodingAESKey of 服务器配置 (safe mode)')),
  WECHAT_MP_SECRET: optional(z.string().regex(/^[A-Za-z0-9]{32}$/, 'expected the 32-character AppSecret of 基本配置 (needed for pushes)')),
  WECHAT_API_ROOT: optionalUrl,
  /** Overall pace of Official Account and WeCom API pushes (each); per user 1 s (Official Account), 2 s (WeCom: at most 30 a minute per member). */
  POLICYBOT_WECHAT_API_MESSAGES_PER_SECOND: z.coerce.number().positive().max(1000).default(20),
  /** How long a push waits for an Official Account user to write again (the 48-hour window) before it is dropped. */
  POLICYBOT_WECHAT_MP_WAIT_DAYS: int(1, 365).default(7),
  WECOM_CORP_ID: optional(z.string().regex(/^[A-Za-z0-9]{6,40}$/, 'expected the CorpID of 我的企业 → 企业信息, like ww1234567890abcdef')),
  WECOM_AGENT_ID: optional(int(1, 2_147_483_647)),
  WECOM_SECRET: optional(z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected the Secret of the self-built app (应用管理 → 自建应用)')),
  WECOM_TOKEN: optional(z.string().regex(/^[A-Za-z0-9]{1,32}$/, "expected the Token of the app's 接收消息 settings (letters and digits)")),
  WECOM_AES_KEY: optional(z.string().regex(/^[A-Za-z0-9+/]{43}$/, "expected the 43-character EncodingAESKey of the app's 接收消息 settings")),
  WECOM_API_ROOT: optionalUrl,
  WECHAT_CALLBACK_HOST: z.string().min(1).default('127.0.0.1'),
  WECHAT_CALLBACK_PORT: int(0, 65535).default(8080),
  WECHAT_MP_PATH: z
    .string()
    .regex(/^\/[\w\-/]*$/, 'expected a path such as /wechat')
    .default('/wechat'),
  WECOM_PATH: z
    .string()
    .regex(/^\/[\w\-/]*$/, 'expected a path such as /wecom')
    .default('/wecom'),
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
  const problems = [...wechatProblems(r.data)];
  if (problems.length) throw new PolicyBotError('CONFIG_INVALID', `invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return r.data;
}

/** Official Account and WeCom variables come in groups: a partial group names what is missing. */
function* wechatProblems(c: Config): Generator<string> {
  const mp = { WECHAT_MP_TOKEN: c.WECHAT_MP_TOKEN, WECHAT_MP_APPID: c.WECHAT_MP_APPID };
  const mpExtra = { WECHAT_MP_AES_KEY: c.WECHAT_MP_AES_KEY, WECHAT_MP_SECRET: c.WECHAT_MP_SECRET };
  if (Object.values({ ...mp, ...mpExtra }).some(Boolean)) {
    for (const [k, v] of Object.entries(mp)) if (!v) yield `${k}: required for the Official Account channel (set WECHAT_MP_TOKEN and WECHAT_MP_APPID together)`;
  }
  const wecom = {
    WECOM_CORP_ID: c.WECOM_CORP_ID,
    WECOM_AGENT_ID: c.WECOM_AGENT_ID,
    WECOM_SECRET: c.WECOM_SECRET,
    WECOM_TOKEN: c.WECOM_TOKEN,
    WECOM_AES_KEY: c.WECOM_AES_KEY,
  };
  if (Object.values(wecom).some((v) => v !== undefined)) {
    for (const [k, v] of Object.entries(wecom)) if (v === undefined) yield `${k}: required for the WeCom app channel (set all five WECOM_ variables)`;
  }
}
