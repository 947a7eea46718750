import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import type { Pacer } from '../../src/push/pacer.ts';
import { noPacing } from '../../src/push/pacer.ts';
import { DEFAULT_RETRY, PermanentSendError, withRetries, type RetryPolicy } from '../../src/push/sender.ts';
import { renderPlainText } from '../plain-text.ts';
import { classifyWechatError, WechatApiError, type CallbackSender, type WechatApiClient } from '../wechat-callback/api.ts';
import { pageByBytes, WECHAT_TEXT_MAX_BYTES } from '../wechat-callback/pages.ts';
import type { OfficialAccountState } from './state.ts';

/** 45015: the user has not written within 48 hours; 45047: too many messages since they last wrote. */
const OUTSIDE_WINDOW = new Set([45015, 45047]);

/** The Official Account's push sender, plus the flush of pushes that waited for a closed window. */
export interface OfficialAccountSender extends CallbackSender {
  /** Sends the user's waiting pushes (their window just opened). Returns how many were sent. */
  flush(openid: string): Promise<number>;
}

/**
 * Pushes through the customer-service message API (客服消息), which works only within 48 hours of
 * the user's last message. Outside the window — known from the state, or told by WeChat with
 * 45015/45047 — the push stays pending and goes out when the user next writes.
 */
export function createOfficialAccountSender(deps: { api: WechatApiClient; state: OfficialAccountState; clock: Clock; logger: Logger; retry?: RetryPolicy }): OfficialAccountSender {
  const sendText = async (openid: string, content: string): Promise<'sent' | 'outside-window'> => {
    const { value } = await withRetries(
      async () => {
        try {
          await deps.api.post('/cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content } });
          return 'sent' as const;
        } catch (e) {
          if (e instanceof WechatApiError && OUTSIDE_WINDOW.has(e.errcode)) return 'outside-window' as const;
          throw e;
        }
      },
      classifyWechatError,
      deps.clock,
      deps.retry ?? DEFAULT_RETRY,
      (f, n, wait) => deps.logger.warn({ attempt: n, waitMs: wait }, `official account send retry: ${f.message}`),
    );
    return value;
  };

  /** Sends texts in order; on a closed window the rest is queued. True when all went out. */
  const deliver = async (openid: string, texts: string[], pacer: Pacer): Promise<boolean> => {
    for (let i = 0; i < texts.length; i++) {
      await pacer.wait(openid);
      if ((await sendText(openid, texts[i]!)) === 'outside-window') {
        await deps.state.enqueue(openid, texts.slice(i));
        deps.logger.info({ openid }, 'official account push pending: outside the 48-hour window');
        return false;
      }
    }
    return true;
  };

  return {
    async sendReply(openid, reply, pacer) {
      const texts = pageByBytes(renderPlainText(reply), WECHAT_TEXT_MAX_BYTES, '');
      if (!deps.state.isOpen(openid)) {
        await deps.state.enqueue(openid, texts);
        deps.logger.info({ openid }, 'official account push pending until the user writes again');
        return;
      }
      await deliver(openid, texts, pacer);
    },
    async sendText(openid, text) {
      await deliver(openid, [text], noPacing);
    },
    async flush(openid) {
      let sent = 0;
      const queued = await deps.state.take(openid);
      for (let i = 0; i < queued.length; i++) {
        let done: boolean;
        try {
          done = await deliver(openid, queued[i]!, noPacing);
        } catch (e) {
          // keep what is left unless the user cannot be reached at all
          const gone = e instanceof PermanentSendError && (e.reason === 'blocked' || e.reason === 'chat-not-found');
          if (!gone) for (const rest of queued.slice(i)) await deps.state.enqueue(openid, rest);
          throw e;
        }
        if (!done) {
          for (const rest of queued.slice(i + 1)) await deps.state.enqueue(openid, rest);
          break;
        }
        sent++;
      }
      return sent;
    },
  };
}
