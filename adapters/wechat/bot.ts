import type { Message, Wechaty } from 'wechaty';
import { types } from 'wechaty';
import type { Clock } from '../../src/clock.ts';
import type { Conversation } from '../../src/conversation/core.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { Logger } from '../../src/logger.ts';
import type { Pacer } from '../../src/push/pacer.ts';
import { withTimeout } from '../../src/timeout.ts';
import { DEFAULT_RETRY, PermanentSendError, withRetries, type ChannelSender, type PartProgress, type RetryPolicy, sendParts } from '../../src/push/sender.ts';
import { renderPlainText, splitMessages } from '../plain-text.ts';

/** WeChat messages are split around this many characters. */
export const WECHAT_MAX = 2000;

/** Default limit on one wechaty call that goes to the puppet (POLICYBOT_WECHAT_TIMEOUT_MS). */
export const DEFAULT_WECHAT_TIMEOUT_MS = 10_000;

/** Room chat ids carry this prefix; contact ids are bare. */
export const ROOM_PREFIX = 'room:';

/** What the WeChat adapter needs. */
export interface WechatDeps {
  wechaty: Wechaty;
  conversation: Conversation;
  clock: Clock;
  logger: Logger;
  retry?: RetryPolicy;
  /** Limit on each wechaty call that goes to the puppet: Room.find, Contact.find, say, mention reading (ms). */
  timeoutMs?: number;
}

/** The WeChat adapter: wechaty messages to the core, plain-text replies back. */
export interface WechatAdapter {
  /** The one entry point for a message: wechaty's 'message' event calls it, tests too. */
  handleMessage(message: Message): Promise<void>;
  sender: ChannelSender;
}

/** Plain text for WeChat: clause, citation line, "回复“更多”" hints; split near 2,000 characters. */
export function renderWechat(reply: Reply): string[] {
  return splitMessages(renderPlainText(reply, { feedbackHint: true }), WECHAT_MAX);
}

/** Creates the adapter and registers it on the wechaty instance's 'message' event. */
export function createWechatAdapter(deps: WechatDeps): WechatAdapter {
  const startedAt = deps.clock.now();
  const { wechaty, logger } = deps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_WECHAT_TIMEOUT_MS;
  /**
   * A puppet call with the deadline: a puppet whose server stopped answering fails the attempt
   * with RequestTimeout (CHANNEL_TIMEOUT) instead of hanging the send or the push. A wechaty call
   * cannot be aborted, so a say that times out may still arrive later, and its retry too.
   */
  const limited = <T>(what: string, call: () => Promise<T>): Promise<T> => withTimeout(`WeChat ${what}`, timeoutMs, call);

  const sayTo = async (chatId: string, text: string): Promise<void> => {
    await withRetries(
      async () => {
        const isRoom = chatId.startsWith(ROOM_PREFIX);
        let target: Awaited<ReturnType<typeof wechaty.Room.find>> | Awaited<ReturnType<typeof wechaty.Contact.find>>;
        try {
          target = isRoom
            ? await limited('Room.find', () => wechaty.Room.find({ id: chatId.slice(ROOM_PREFIX.length) }))
            : await limited('Contact.find', () => wechaty.Contact.find({ id: chatId }));
        } catch (e) {
          // puppets report an unknown id by throwing ("no payload found for id …")
          if (/not found|no payload|not exist|invalid id/i.test((e as Error).message)) target = undefined;
          else throw e;
        }
        if (!target) throw new PermanentSendError(`no WeChat ${chatId.startsWith(ROOM_PREFIX) ? 'room' : 'contact'} ${chatId}`, 'chat-not-found');
        const to = target;
        await limited('say', () => to.say(text));
      },
      (e) =>
        e instanceof PermanentSendError
          ? { temporary: false, reason: e.reason, message: e.message }
          : { temporary: true, message: e instanceof Error ? e.message : String(e) },
      deps.clock,
      deps.retry ?? DEFAULT_RETRY,
      (f, n, wait) => logger.warn({ attempt: n, waitMs: wait }, `wechat send retry: ${f.message}`),
    );
  };

  const sender: ChannelSender = {
    sendReply: (chatId: string, reply: Reply, pacer: Pacer, progress?: PartProgress) =>
      sendParts(chatId, renderWechat(reply), pacer, (part) => sayTo(chatId, part), progress),
  };

  async function handleMessage(message: Message): Promise<void> {
    if (message.self()) return;
    if (message.date().getTime() < startedAt - 1000) return; // from before start-up
    const room = message.room();
    const talker = message.talker();
    const isText = message.type() === types.Message.Text;
    const mentioned = room ? await limited('mentionSelf', () => message.mentionSelf()) : false;
    let text = isText ? (room && mentioned ? await limited('mentionText', () => message.mentionText()) : message.text()) : '';
    text = text.replace(/^\s*@\S+\s*/, (m) => (room && mentioned ? '' : m)).trim();
    const chatId = room ? `${ROOM_PREFIX}${room.id}` : talker.id;
    if (!isText) {
      if (!room || mentioned) await sayTo(chatId, '暂只支持文字提问。');
      return;
    }
    const reply = await deps.conversation.handle({
      channel: 'wechat',
      chatId,
      userId: talker.id,
      text,
      isGroup: Boolean(room),
      mentionsBot: mentioned,
    });
    if (!reply) return;
    for (const part of renderWechat(reply)) await sayTo(chatId, part);
  }

  wechaty.on('message', (m: Message) => {
    handleMessage(m).catch((e: unknown) => logger.error(`wechat message failed: ${e instanceof Error ? e.message : String(e)}`));
  });

  return { handleMessage, sender };
}
