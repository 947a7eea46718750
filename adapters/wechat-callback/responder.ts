import type { Clock } from '../../src/clock.ts';
import { parseCommand } from '../../src/conversation/commands.ts';
import type { Conversation } from '../../src/conversation/core.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { Channel } from '../../src/store/schema.ts';
import { renderPlainText } from '../plain-text.ts';
import { pageByBytes, WECHAT_TEXT_MAX_BYTES } from './pages.ts';

/** What the passive-reply logic shared by the Official Account and WeCom needs. */
export interface ResponderDeps {
  channel: Channel;
  conversation: Conversation;
  clock: Clock;
  maxBytes?: number;
  /** How long a MsgId's reply is kept for WeChat's retries (default 5 minutes). */
  dedupeMs?: number;
  /** How long the rest of a long answer waits for "更多" (default 30 minutes). */
  overflowMs?: number;
}

/** Passive replies for callback channels: one answer per message id, long answers served page by page. */
export interface Responder {
  /**
   * Runs `fn` once per message key (MsgId, or FromUserName+CreateTime for events): WeChat retries
   * an unanswered message up to three times, and every retry gets the first attempt's result.
   */
  once<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Answers a text from `user`: "更多" first serves the rest of a long answer, anything else goes to the core. */
  text(user: string, text: string): Promise<string | null>;
  /** Pages a reply model for `user`: returns the first page and keeps the rest for "更多". */
  page(user: string, reply: Reply | null): string | null;
}

/** Creates the responder of one channel. */
export function createResponder(deps: ResponderDeps): Responder {
  const maxBytes = deps.maxBytes ?? WECHAT_TEXT_MAX_BYTES;
  const dedupeMs = deps.dedupeMs ?? 5 * 60_000;
  const overflowMs = deps.overflowMs ?? 30 * 60_000;
  const seen = new Map<string, { at: number; result: Promise<unknown> }>();
  const overflow = new Map<string, { at: number; pages: string[] }>();

  const sweep = (): void => {
    const now = deps.clock.now();
    for (const [k, v] of seen) if (now - v.at > dedupeMs) seen.delete(k);
    for (const [k, v] of overflow) if (now - v.at > overflowMs) overflow.delete(k);
  };

  function page(user: string, reply: Reply | null): string | null {
    overflow.delete(user);
    if (!reply) return null;
    const pages = pageByBytes(renderPlainText(reply, { feedbackHint: true }), maxBytes);
    if (pages.length > 1) overflow.set(user, { at: deps.clock.now(), pages: pages.slice(1) });
    return pages[0] ?? null;
  }

  return {
    once<T>(key: string, fn: () => Promise<T>): Promise<T> {
      sweep();
      const hit = seen.get(key);
      if (hit) return hit.result as Promise<T>;
      const result = fn();
      seen.set(key, { at: deps.clock.now(), result });
      // a failed attempt may be retried for real
      result.catch(() => seen.delete(key));
      return result;
    },
    async text(user, text) {
      sweep();
      const rest = overflow.get(user);
      if (rest && parseCommand(text)?.name === 'more') {
        const next = rest.pages.shift()!;
        if (rest.pages.length === 0) overflow.delete(user);
        else rest.at = deps.clock.now();
        return next;
      }
      const reply = await deps.conversation.handle({ channel: deps.channel, chatId: user, userId: user, text, isGroup: false, mentionsBot: false });
      return page(user, reply);
    },
    page,
  };
}

/** WeChat gives up on a passive reply after 5 seconds; answer (or give up) before that. */
export const PASSIVE_REPLY_MS = 4500;

/**
 * Waits up to `ms` for an answer. When it is late and `late` is given, resolves null at once
 * (the caller answers "success", so WeChat does not retry) and hands the answer to `late` to be
 * sent through the API. Without `late` it simply waits: WeChat's retry of the same MsgId then
 * picks up the answer.
 */
export async function withinDeadline(answer: Promise<string | null>, ms: number, late?: (text: string) => void): Promise<string | null> {
  if (!late) return answer;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'late'>((r) => {
    timer = setTimeout(() => r('late'), ms);
  });
  try {
    const first = await Promise.race([answer, timeout]);
    if (first !== 'late') return first;
    void answer.then((text) => text && late(text)).catch(() => undefined);
    return null;
  } finally {
    clearTimeout(timer);
  }
}
