import { chatKey, nowIso, textReply, type ConversationDeps } from '../context.ts';
import type { IncomingMessage, Reply } from '../types.ts';
import type { Command } from './command.ts';

/** Records 👍/👎 on the chat's last answer (kept for the staff's feedback page and /stats). */
async function feedback(deps: ConversationDeps, msg: IncomingMessage, useful: boolean): Promise<Reply> {
  const s = await deps.store.session(chatKey(msg), deps.clock.now());
  if (!s?.lastClauseId) return textReply('还没有可以评价的回答。');
  await deps.store.addFeedback({
    channel: msg.channel,
    chatId: msg.chatId,
    userId: msg.userId,
    query: s.query,
    clauseId: s.lastClauseId,
    useful,
    at: nowIso(deps),
  });
  return textReply(useful ? '谢谢反馈！' : '谢谢反馈，我们会改进。可以换个说法再问，或发送“更多”看其他结果。');
}

/** 有用: the last answer helped (sent by the feedback buttons). */
export const usefulCommand: Command = { name: 'useful', aliases: ['有用'], takesArgs: false, handle: (deps, msg) => feedback(deps, msg, true) };

/** 没用: the last answer did not help. */
export const uselessCommand: Command = { name: 'useless', aliases: ['没用', '无用'], takesArgs: false, handle: (deps, msg) => feedback(deps, msg, false) };
