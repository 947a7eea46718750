import { WechatyBuilder } from 'wechaty';
import { createWechatAdapter } from '../../adapters/wechat/bot.ts';
import { startWechaty, stopWechaty, superviseWechaty } from '../../adapters/wechat/supervise.ts';
import type { App } from '../app.ts';
import type { ChannelSender } from '../push/sender.ts';

/** Starts the WeChat adapter from config (WECHATY_PUPPET, WECHATY_PUPPET_SERVICE_TOKEN, POLICYBOT_WECHAT_TIMEOUT_MS). */
export async function startWechat(app: App): Promise<{ sender: ChannelSender; stop: () => Promise<void> }> {
  const { config, logger } = app;
  const token = config.WECHATY_PUPPET_SERVICE_TOKEN;
  const wechaty = WechatyBuilder.build({
    name: 'policybot',
    puppet: config.WECHATY_PUPPET as never,
    ...(token ? { puppetOptions: { token } } : {}),
  });
  const adapter = createWechatAdapter({ wechaty, conversation: app.conversation, clock: app.clock, logger, timeoutMs: config.POLICYBOT_WECHAT_TIMEOUT_MS });
  superviseWechaty(wechaty, app.clock, logger, token ? [token] : []);
  await startWechaty(wechaty);
  return { sender: adapter.sender, stop: () => stopWechaty(wechaty) };
}
