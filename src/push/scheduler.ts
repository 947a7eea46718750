import { Cron } from 'croner';
import type { App } from '../app.ts';
import type { Config } from '../config/config.ts';
import { dataPaths } from '../corpus/paths.ts';
import type { Channel } from '../store/schema.ts';
import { runPushCycle, type PushCycleDeps } from './cycle.ts';
import { createPacer, type Pacer } from './pacer.ts';
import type { ChannelSender } from './sender.ts';
import type { Clock } from '../clock.ts';

/** The croner pattern of a daily "HH:MM". */
export function dailyPattern(time: string): string {
  const [hh, mm] = time.split(':');
  return `${Number(mm)} ${Number(hh)} * * *`;
}

/** When the daily push runs next after `from` (Date), in the configured time zone. */
export function nextPushRun(time: string, timezone: string, from: Date): Date | null {
  return new Cron(dailyPattern(time), { timezone, paused: true }).nextRun(from);
}

/** Pacers per channel from config: Telegram's overall and per-chat limits, WeChat's interval, the WeChat APIs' rate. */
export function pacersFromConfig(config: Config, clock: Clock): Partial<Record<Channel, Pacer>> {
  const wechatRate = config.POLICYBOT_WECHAT_INTERVAL_MS > 0 ? 1000 / config.POLICYBOT_WECHAT_INTERVAL_MS : 0;
  return {
    telegram: createPacer(clock, config.POLICYBOT_TELEGRAM_MESSAGES_PER_SECOND, config.POLICYBOT_TELEGRAM_CHAT_INTERVAL_MS),
    wechat: createPacer(clock, wechatRate, config.POLICYBOT_WECHAT_INTERVAL_MS),
    'wechat-mp': createPacer(clock, config.POLICYBOT_WECHAT_API_MESSAGES_PER_SECOND, 1000),
    wecom: createPacer(clock, config.POLICYBOT_WECHAT_API_MESSAGES_PER_SECOND, 2000),
  };
}

/** Push-cycle dependencies from the app and the running senders. */
export function cycleDeps(app: App, senders: Partial<Record<Channel, ChannelSender>>): PushCycleDeps {
  const { config } = app;
  return {
    dataDir: config.POLICYBOT_DATA_DIR,
    inboxDir: config.POLICYBOT_INBOX_DIR ?? `${dataPaths(config.POLICYBOT_DATA_DIR).root}/inbox`,
    ...(config.POLICYBOT_FEED_URL
      ? {
          feed: {
            url: config.POLICYBOT_FEED_URL,
            fetch: (u, i) => fetch(u, i),
            limits: { timeoutMs: config.POLICYBOT_FEED_TIMEOUT_MS, maxBytes: config.POLICYBOT_FEED_MAX_BYTES },
          },
        }
      : {}),
    corpus: app.corpus,
    tools: app.corpus.current().tools,
    store: app.store,
    senders,
    pacers: pacersFromConfig(config, app.clock),
    clock: app.clock,
    logger: app.logger,
    concurrency: config.POLICYBOT_PUSH_CONCURRENCY,
    maxWaitMs: config.POLICYBOT_WECHAT_MP_WAIT_DAYS * 24 * 3600_000,
  };
}

/**
 * Runs the push cycle every day at POLICYBOT_PUSH_TIME in POLICYBOT_TIMEZONE (croner), one run
 * at a time. At start-up it finishes any broadcast a crash interrupted.
 */
export function startPushScheduler(app: App, senders: Partial<Record<Channel, ChannelSender>>): { stop(): void; nextRun(): Date | null } {
  let running = false;
  const tick = async (resumeOnly = false): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const r = await runPushCycle(cycleDeps(app, senders), { resumeOnly });
      app.logger.info({ ingested: r.ingested, broadcasts: r.broadcasts }, 'push cycle done');
    } catch (e) {
      app.logger.error(`push cycle failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  const job = new Cron(dailyPattern(app.config.POLICYBOT_PUSH_TIME), { timezone: app.config.POLICYBOT_TIMEZONE, protect: true }, () => void tick());
  void tick(true);
  return { stop: () => job.stop(), nextRun: () => job.nextRun() };
}
