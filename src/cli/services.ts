import type { App } from '../app.ts';
import type { ChannelSender } from '../push/sender.ts';
import type { Channel } from '../store/schema.ts';

/** What `start` runs: adapters by channel, their senders, and how to stop them. */
export interface Services {
  started: string[];
  senders: Partial<Record<Channel, ChannelSender>>;
  stop(): Promise<void>;
}

/**
 * Starts the configured chat adapters (Telegram when TELEGRAM_BOT_TOKEN is set, WeChat when
 * WECHATY_PUPPET is set, the Official Account and WeCom callbacks when their variables are set)
 * and, when any is running, the daily push scheduler and the reload of bulletins other processes
 * add; the staff console and HTTP API when POLICYBOT_HTTP_PORT is set.
 */
export async function startServices(app: App): Promise<Services> {
  const { config, logger } = app;
  const started: string[] = [];
  const senders: Services['senders'] = {};
  const stops: Array<() => Promise<void> | void> = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    const { startTelegramFromConfig } = await import('./telegram.ts');
    const { adapter, mode, stop } = await startTelegramFromConfig(app, config.TELEGRAM_BOT_TOKEN);
    stops.push(stop);
    senders.telegram = adapter.sender;
    started.push(`telegram (${mode.kind})`);
  }
  if (config.WECHATY_PUPPET) {
    const { startWechat } = await import('./wechat.ts');
    const w = await startWechat(app);
    stops.push(w.stop);
    senders.wechat = w.sender;
    started.push(`wechat (${config.WECHATY_PUPPET})`);
  }
  if ((config.WECHAT_MP_TOKEN && config.WECHAT_MP_APPID) || config.WECOM_CORP_ID) {
    const { startCallbackChannels } = await import('./wechat-callbacks.ts');
    const w = await startCallbackChannels(app);
    stops.push(w.stop);
    Object.assign(senders, w.senders);
    started.push(...w.started);
  }
  if (started.length > 0) {
    const { startPushScheduler } = await import('../push/scheduler.ts');
    const s = startPushScheduler(app, senders);
    stops.push(s.stop);
    started.push(`push scheduler (${config.POLICYBOT_PUSH_TIME} ${config.POLICYBOT_TIMEZONE})`);
  }
  if (config.POLICYBOT_HTTP_PORT !== undefined) {
    const { startHttp } = await import('./http.ts');
    const server = await startHttp(app, config.POLICYBOT_HTTP_PORT, senders);
    stops.push(server.close);
    started.push(`console ${server.url}`);
  }
  if (started.length > 0) {
    // `push --once` or `ingest` in another process adds issues: answer about them without a restart
    const { followCorpus } = await import('../corpus/follow.ts');
    const f = await followCorpus({
      dataDir: config.POLICYBOT_DATA_DIR,
      corpus: app.corpus,
      tools: app.corpus.current().tools,
      everyMs: config.POLICYBOT_CORPUS_RELOAD_MS,
      logger,
    });
    stops.push(f.stop);
  }
  return {
    started,
    senders,
    async stop() {
      for (const s of stops.reverse()) await s();
    },
  };
}
