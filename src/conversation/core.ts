import { answerQuestion } from '../answer/answer.ts';
import type { Citation } from '../answer/citation.ts';
import { stripControlChars } from '../text/normalize.ts';
import { answerReply } from './answer-reply.ts';
import { isCommand, parseCommand } from './commands.ts';
import { helpReply } from './commands/registry.ts';
import { textReply, type ConversationDeps } from './context.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { IncomingMessage, Reply } from './types.ts';

export type { ConversationDeps } from './context.ts';

/** The channel-independent conversation: message in, reply model out (null = stay silent). */
export interface Conversation {
  handle(msg: IncomingMessage): Promise<Reply | null>;
  /** Ranked cited clauses for a query (inline search); empty when nothing relevant is found. */
  lookup(query: string, limit: number): Array<{ id: string; text: string; citation: Citation }>;
}

/** Builds the conversation core: commands from the registry (src/conversation/commands/), questions answered with citations. */
export function createConversation(deps: ConversationDeps): Conversation {
  const limiter = createRateLimiter(deps.ratePerMinute, deps.clock);

  async function handle(msg: IncomingMessage): Promise<Reply | null> {
    const body = stripControlChars(String(msg.text ?? ''))
      .replace(/\s+/g, ' ')
      .trim();
    const command = parseCommand(body);
    if (msg.isGroup && !msg.mentionsBot && !msg.isReplyToBot && !isCommand(body)) return null;
    if (!limiter.allow(`${msg.channel}:${msg.userId}`)) return textReply('提问太频繁了，请稍后再试。');
    if (command) return command.command.handle(deps, msg, command.args);
    if (/^[/／]/.test(body)) return textReply('没有这个命令。发送 /help 查看可用的命令。');
    if (!body) return helpReply(deps, false);
    if (body.length > deps.maxQuestionLength) {
      return textReply(`问题太长了（${body.length}字），请精简到${deps.maxQuestionLength}字以内再问。`);
    }
    return answerReply(deps, msg, body, 0);
  }

  function lookup(query: string, limit: number): Array<{ id: string; text: string; citation: Citation }> {
    const q = stripControlChars(query).trim().slice(0, deps.maxQuestionLength);
    if (!q) return [];
    const r = answerQuestion(deps.corpus.current().index, q, { limit });
    return r.answered ? r.hits.map((h) => ({ id: h.clause.id, text: h.passage, citation: h.citation })) : [];
  }

  return { handle, lookup };
}
