import { canPush } from '../../channels/registry.ts';
import { nowIso, textReply } from '../context.ts';
import type { Command } from './command.ts';

const MAX_TOPICS = 10;

/** /subscribe [topics]: pushes of new issues, optionally only what matches the topics. */
export const subscribeCommand: Command = {
  name: 'subscribe',
  aliases: ['订阅'],
  takesArgs: true,
  help: { alias: '订阅', description: '订阅新一期推送，可加关键词：/subscribe 医保 住房' },
  async handle(deps, msg, args) {
    const topics = [
      ...new Set(
        args
          .split(/[\s,，、;；]+/)
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (topics.length > MAX_TOPICS) return textReply(`关键词最多${MAX_TOPICS}个。`);
    if (topics.some((t) => t.length > 20)) return textReply('每个关键词不超过20个字。');
    await deps.store.subscribe({ channel: msg.channel, chatId: msg.chatId, isGroup: msg.isGroup, topics }, nowIso(deps));
    const when = deps.pushTime ? `每天${deps.pushTime}检查，` : '';
    if (!canPush(msg.channel)) {
      return textReply(
        `已订阅${topics.length ? `（${topics.join('、')}）` : ''}，但这里不能主动推送消息：请在 Telegram 或微信里订阅以接收新一期公报，或发送 /latest 查看最新一期。`,
      );
    }
    return textReply(
      topics.length
        ? `已订阅。${when}有新一期公报时，推送与“${topics.join('、')}”有关的文件和条款；没有相关内容时只发一条简短的目录提醒。`
        : `已订阅。${when}有新一期公报时推送其目录。可加关键词只收相关内容，例如：订阅 医保 住房`,
    );
  },
};

/** /unsubscribe: no more pushes. */
export const unsubscribeCommand: Command = {
  name: 'unsubscribe',
  aliases: ['退订', '取消订阅'],
  takesArgs: false,
  help: { alias: '退订', description: '取消订阅' },
  async handle(deps, msg) {
    const was = await deps.store.deactivate({ channel: msg.channel, chatId: msg.chatId }, 'unsubscribed', nowIso(deps));
    return textReply(was ? '已退订，不再推送新一期公报。' : '当前没有订阅。');
  },
};

/** /subscriptions: what this chat is subscribed to. */
export const subscriptionsCommand: Command = {
  name: 'subscriptions',
  aliases: ['我的订阅'],
  takesArgs: false,
  help: { alias: '我的订阅', description: '查看订阅' },
  async handle(deps, msg) {
    const s = await deps.store.subscriber({ channel: msg.channel, chatId: msg.chatId });
    if (!s?.active) return textReply('当前没有订阅。发送 /subscribe 订阅新一期公报推送。');
    return textReply(s.topics.length ? `已订阅，关键词：${s.topics.join('、')}。` : '已订阅全部新一期公报。');
  },
};
