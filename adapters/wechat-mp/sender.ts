import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import { DEFAULT_RETRY, DeferredSendError, sendParts, withRetries, type RetryPolicy } from '../../src/push/sender.ts';
import type { Store } from '../../src/store/store.ts';
import { renderPlainText } from '../plain-text.ts';
import { classifyWechatError, WechatApiError, type CallbackSender, type WechatApiClient } from '../wechat-callback/api.ts';
import { pageByBytes, WECHAT_TEXT_MAX_BYTES } from '../wechat-callback/pages.ts';

/** An Official Account may send customer-service messages for 48 hours after a user's last message. */
export const SERVICE_WINDOW_MS = 48 * 3600_000;
/** Safety margin: a window closing within this time counts as closed. */
export const WINDOW_MARGIN_MS = 5 * 60_000;

/** 45015: the user has not written within 48 hours; 45047: too many messages since they last wrote. */
const OUTSIDE_WINDOW = new Set([45015, 45047]);

/**
 * Pushes through the customer-service message API (客服消息), which works only within 48 hours of
 * the user's last message. When each user last wrote is in the store (Store.noteInbound), so every
 * process — `npm start`, `push --once`, other instances on one PostgreSQL — sees the same window.
 * Outside it — known from the store, or told by WeChat with 45015/45047 — the send throws
 * DeferredSendError: the delivery stays pending and goes out when the user next writes
 * (deliverWaiting). Each part of a long push is recorded as it goes out.
 */
export function createOfficialAccountSender(deps: { api: WechatApiClient; store: Store; clock: Clock; logger: Logger; retry?: RetryPolicy }): CallbackSender {
  const sendText = async (openid: string, content: string): Promise<void> => {
    await withRetries(
      async () => {
        try {
          await deps.api.post('/cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content } });
        } catch (e) {
          if (e instanceof WechatApiError && OUTSIDE_WINDOW.has(e.errcode))
            throw new DeferredSendError(`WeChat refused a customer-service message (${e.errcode}): the user has not written within 48 hours`);
          throw e;
        }
      },
      classifyWechatError,
      deps.clock,
      deps.retry ?? DEFAULT_RETRY,
      (f, n, wait) => deps.logger.warn({ attempt: n, waitMs: wait }, `official account send retry: ${f.message}`),
    );
  };

  return {
    async sendReply(openid, reply, pacer, progress) {
      const last = await deps.store.lastInbound({ channel: 'wechat-mp', chatId: openid });
      if (last === undefined || deps.clock.now() - last >= SERVICE_WINDOW_MS - WINDOW_MARGIN_MS) {
        throw new DeferredSendError('the user has not written within 48 hours (WeChat allows customer-service messages only then)');
      }
      const texts = pageByBytes(renderPlainText(reply), WECHAT_TEXT_MAX_BYTES, '');
      await sendParts(openid, texts, pacer, (t) => sendText(openid, t), progress);
    },
    sendText,
  };
}
