import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import { DEFAULT_RETRY, PermanentSendError, sendParts, withRetries, type RetryPolicy } from '../../src/push/sender.ts';
import { renderPlainText } from '../plain-text.ts';
import { classifyWechatError, type CallbackSender, type WechatApiClient } from '../wechat-callback/api.ts';
import { pageByBytes, WECHAT_TEXT_MAX_BYTES } from '../wechat-callback/pages.ts';

/**
 * Pushes to WeCom staff through the app's message/send API (no 48-hour window for an app).
 * A UserID WeCom reports as invalid (invaliduser, 81013, 60111) ends that subscription.
 */
export function createWecomSender(deps: { api: WechatApiClient; agentId: number; clock: Clock; logger: Logger; retry?: RetryPolicy }): CallbackSender {
  const send = async (user: string, content: string): Promise<void> => {
    await withRetries(
      async () => {
        const r = await deps.api.post('/cgi-bin/message/send', { touser: user, msgtype: 'text', agentid: deps.agentId, text: { content } });
        if (typeof r['invaliduser'] === 'string' && r['invaliduser'].split('|').includes(user)) {
          throw new PermanentSendError(`WeCom does not know the user ${user} (or the app cannot see them)`, 'chat-not-found');
        }
      },
      classifyWechatError,
      deps.clock,
      deps.retry ?? DEFAULT_RETRY,
      (f, n, wait) => deps.logger.warn({ attempt: n, waitMs: wait }, `wecom send retry: ${f.message}`),
    );
  };
  return {
    async sendReply(user, reply, pacer, progress) {
      await sendParts(user, pageByBytes(renderPlainText(reply), WECHAT_TEXT_MAX_BYTES, ''), pacer, (t) => send(user, t), progress);
    },
    sendText: send,
  };
}
