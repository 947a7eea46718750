import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config/config.ts';
import { openCorpus } from './corpus/open.ts';
import { corpusSource, type CorpusSource } from './corpus/source.ts';
import { createConversation, type Conversation } from './conversation/core.ts';
import { createLogger, type Logger } from './logger.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/store.ts';

/** Everything a running bot shares: config, logger, corpus, store, conversation, clock. */
export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  corpus: CorpusSource;
  store: Store;
  conversation: Conversation;
}

function dbPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Secrets of a config, for redaction. */
export function secretsOf(config: Config): string[] {
  return [
    config.TELEGRAM_BOT_TOKEN,
    config.TELEGRAM_WEBHOOK_SECRET,
    config.WECHATY_PUPPET_SERVICE_TOKEN,
    config.WECHAT_MP_TOKEN,
    config.WECHAT_MP_AES_KEY,
    config.WECHAT_MP_SECRET,
    config.WECOM_SECRET,
    config.WECOM_TOKEN,
    config.WECOM_AES_KEY,
    config.POLICYBOT_ADMIN_TOKEN,
    ...[config.POLICYBOT_DATABASE_URL, config.DATABASE_URL].map(dbPassword),
  ].filter((s): s is string => !!s);
}

/** Wires the app from a validated config. Fails early on a corrupt store or corpus. */
export async function createApp(config: Config, opts: { clock?: Clock; logger?: Logger } = {}): Promise<App> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, secretsOf(config));
  const clock = opts.clock ?? systemClock;
  const corpus = corpusSource(await openCorpus(config.POLICYBOT_DATA_DIR));
  const store = await openStore({
    dataDir: config.POLICYBOT_DATA_DIR,
    databaseUrl: config.POLICYBOT_DATABASE_URL ?? config.DATABASE_URL,
    warn: (message, details) => logger.warn(details, message),
    now: () => clock.now(),
  });
  const conversation = createConversation({
    corpus,
    store,
    clock,
    admins: config.POLICYBOT_ADMIN_IDS,
    maxQuestionLength: config.POLICYBOT_MAX_QUESTION_LENGTH,
    ratePerMinute: config.POLICYBOT_RATE_LIMIT_PER_MINUTE,
    pageSize: config.POLICYBOT_RESULTS_PER_PAGE,
    pushTime: config.POLICYBOT_PUSH_TIME,
  });
  return { config, logger, clock, corpus, store, conversation };
}
