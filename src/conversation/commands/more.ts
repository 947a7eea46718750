import { answerReply } from '../answer-reply.ts';
import { chatKey, textReply } from '../context.ts';
import type { Command } from './command.ts';

/** 更多: the next page of the chat's last question. */
export const moreCommand: Command = {
  name: 'more',
  aliases: ['更多', '下一条'],
  takesArgs: false,
  help: { alias: '更多', description: '上一个问题的更多结果' },
  async handle(deps, msg) {
    const s = await deps.store.session(chatKey(msg), deps.clock.now());
    if (!s) return textReply('还没有可以继续的问题，请先提问。');
    return answerReply(deps, msg, s.query, s.shown);
  },
};
