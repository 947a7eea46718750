import type { App } from '../app.ts';
import { deliverWaiting } from '../push/cycle.ts';
import { cycleDeps } from '../push/scheduler.ts';
import { DEFAULT_RETRY, type ChannelSender } from '../push/sender.ts';
import type { Channel } from '../store/schema.ts';
import { createOfficialAccountSender } from '../../adapters/wechat-mp/sender.ts';
import { createOfficialAccountHandler } from '../../adapters/wechat-mp/server.ts';
import { createWecomSender } from '../../adapters/wecom/sender.ts';
import { createWecomHandler } from '../../adapters/wecom/server.ts';
import { WechatApiClient, type CallbackSender } from '../../adapters/wechat-callback/api.ts';
import { startCallbackServer, type CallbackHandler } from '../../adapters/wechat-callback/http.ts';

/** What the running callback channels give the composition root. */
export interface CallbackChannels {
  started: string[];
  senders: Partial<Record<Channel, ChannelSender>>;
  stop(): Promise<void>;
}

/**
 * Starts the Official Account (when WECHAT_MP_TOKEN and WECHAT_MP_APPID are set) and the WeCom
 * app (when the WECOM_ variables are set) on one HTTP server, WECHAT_CALLBACK_HOST:PORT, at
 * WECHAT_MP_PATH and WECOM_PATH. Pushes through the Official Account need WECHAT_MP_SECRET; every
 * message of a user is noted in the store (the 48-hour window) and sends the pushes that waited
 * for it.
 */
export async function startCallbackChannels(app: App): Promise<CallbackChannels> {
  const { config: c, logger, clock, conversation } = app;
  const routes: Record<string, CallbackHandler> = {};
  const senders: CallbackChannels['senders'] = {};
  const labels: string[] = [];
  const lateReply =
    (name: string, sender: CallbackSender) =>
    (user: string, text: string): void => {
      sender.sendText(user, text).catch((e: unknown) => logger.warn(`${name}: a late answer was not delivered: ${e instanceof Error ? e.message : String(e)}`));
    };
  if (c.WECHAT_MP_TOKEN && c.WECHAT_MP_APPID) {
    const sender = createOfficialAccountSenderFromConfig(app);
    if (sender) senders['wechat-mp'] = sender;
    else logger.warn('WECHAT_MP_SECRET is not set: the Official Account answers, but new issues are not pushed through it (they stay pending)');
    const onUserMessage = (openid: string): void => {
      const ref = { channel: 'wechat-mp', chatId: openid };
      void app.store
        .noteInbound(ref, clock.now())
        .then(async () => {
          if (!sender) return;
          await clock.sleep(1000); // after the passive reply
          // pushes that waited for this user's 48-hour window; claimed first, so never sent twice
          const t = await deliverWaiting(ref, cycleDeps(app, { 'wechat-mp': sender }));
          if (t.sent) logger.info({ openid, sent: t.sent }, 'official account: waiting pushes delivered');
        })
        .catch((e: unknown) => logger.warn({ openid }, `official account: waiting pushes not delivered: ${e instanceof Error ? e.message : String(e)}`));
    };
    routes[c.WECHAT_MP_PATH] = createOfficialAccountHandler({
      token: c.WECHAT_MP_TOKEN,
      appId: c.WECHAT_MP_APPID,
      ...(c.WECHAT_MP_AES_KEY ? { aesKey: c.WECHAT_MP_AES_KEY } : {}),
      conversation,
      clock,
      logger,
      onUserMessage,
      ...(sender ? { onLateReply: lateReply('official account', sender) } : {}),
    });
    labels.push(`wechat-mp ${c.WECHAT_MP_PATH} (${c.WECHAT_MP_AES_KEY ? 'safe mode' : 'plaintext mode'}${c.WECHAT_MP_SECRET ? ', push' : ''})`);
  }
  if (c.WECOM_CORP_ID && c.WECOM_AGENT_ID && c.WECOM_SECRET && c.WECOM_TOKEN && c.WECOM_AES_KEY) {
    const sender = createWecomSenderFromConfig(app)!;
    senders.wecom = sender;
    routes[c.WECOM_PATH] = createWecomHandler({
      token: c.WECOM_TOKEN,
      aesKey: c.WECOM_AES_KEY,
      corpId: c.WECOM_CORP_ID,
      agentId: c.WECOM_AGENT_ID,
      conversation,
      clock,
      logger,
      onLateReply: lateReply('wecom', sender),
    });
    labels.push(`wecom ${c.WECOM_PATH} (agent ${c.WECOM_AGENT_ID})`);
  }
  if (labels.length === 0) return { started: [], senders, stop: async () => undefined };
  const server = await startCallbackServer({ host: c.WECHAT_CALLBACK_HOST, port: c.WECHAT_CALLBACK_PORT, routes, logger });
  return { started: [`wechat callback ${server.url}: ${labels.join(', ')}`], senders, stop: server.stop };
}

/** The Official Account's push sender from config (customer-service messages need WECHAT_MP_SECRET), or undefined. */
export function createOfficialAccountSenderFromConfig(app: App): CallbackSender | undefined {
  const { config: c, clock, logger, store } = app;
  if (!c.WECHAT_MP_APPID || !c.WECHAT_MP_SECRET) return undefined;
  const api = new WechatApiClient({
    root: c.WECHAT_API_ROOT ?? 'https://api.weixin.qq.com',
    tokenPath: `/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(c.WECHAT_MP_APPID)}&secret=${encodeURIComponent(c.WECHAT_MP_SECRET)}`,
    secrets: [c.WECHAT_MP_SECRET],
    credentialsHint:
      "check WECHAT_MP_APPID and WECHAT_MP_SECRET (基本配置), that this server's IP is in the IP白名单, and that the account is verified (customer-service messages need it)",
    clock,
    timeoutMs: c.POLICYBOT_WECHAT_TIMEOUT_MS,
  });
  return createOfficialAccountSender({ api, store, clock, logger, retry: { ...DEFAULT_RETRY, attempts: c.POLICYBOT_SEND_ATTEMPTS } });
}

/** The WeCom app's push sender from config (message/send needs no running server), or undefined. */
export function createWecomSenderFromConfig(app: App): CallbackSender | undefined {
  const { config: c, clock, logger } = app;
  if (!c.WECOM_CORP_ID || !c.WECOM_AGENT_ID || !c.WECOM_SECRET) return undefined;
  const api = new WechatApiClient({
    root: c.WECOM_API_ROOT ?? 'https://qyapi.weixin.qq.com',
    tokenPath: `/cgi-bin/gettoken?corpid=${encodeURIComponent(c.WECOM_CORP_ID)}&corpsecret=${encodeURIComponent(c.WECOM_SECRET)}`,
    secrets: [c.WECOM_SECRET],
    credentialsHint: "check WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID, and that this server's IP is under the app's 企业可信IP",
    clock,
    timeoutMs: c.POLICYBOT_WECHAT_TIMEOUT_MS,
  });
  return createWecomSender({ api, agentId: c.WECOM_AGENT_ID, clock, logger, retry: { ...DEFAULT_RETRY, attempts: c.POLICYBOT_SEND_ATTEMPTS } });
}
