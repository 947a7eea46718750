import { createHash } from 'node:crypto';
import { Context, Telegraf, type Telegram } from 'telegraf';
import type { InlineQueryResultArticle, MessageEntity, Update, UserFromGetMe } from 'telegraf/types';
import type { Clock } from '../../src/clock.ts';
import { COMMAND_HELP } from '../../src/conversation/commands.ts';
import type { Conversation } from '../../src/conversation/core.ts';
import type { IncomingMessage } from '../../src/conversation/types.ts';
import type { Logger } from '../../src/logger.ts';
import type { RetryPolicy } from '../../src/push/sender.ts';
import { CALLBACK, escapeHtml, renderTelegram, type Button } from './render.ts';
import { createTelegramSender, DEFAULT_TELEGRAM_TIMEOUT_MS, failure, TimedTelegram, timedTelegram, type TelegramSender } from './sender.ts';

/** What the Telegram adapter needs. */
export interface TelegramDeps {
  token: string;
  apiRoot?: string;
  conversation: Conversation;
  clock: Clock;
  logger: Logger;
  retry?: RetryPolicy;
  /** Limit on every Bot API request (ms; a getUpdates long poll gets its wait on top). */
  timeoutMs?: number;
  /** Longest message; longer replies are split between clauses (Telegram's limit, 4096, by default). */
  maxChars?: number;
}

/** The Telegram adapter: telegraf handlers that translate updates to the core and replies back. */
export interface TelegramAdapter {
  /** The telegraf bot; `bot.telegram` and every handler's `ctx.telegram` are TimedTelegram clients. */
  bot: Telegraf;
  sender: TelegramSender;
  /** The one entry point for an update: polling and webhooks call it through telegraf, tests too. */
  handleUpdate(update: Update): Promise<void>;
  /** Registers the command menu (Chinese descriptions). */
  setCommands(): Promise<void>;
}

const CALLBACK_TEXT: Record<string, string> = { [CALLBACK.more]: '更多', [CALLBACK.useful]: '有用', [CALLBACK.useless]: '没用' };

/** Creates the adapter (does not start polling or a webhook). */
export function createTelegramAdapter(deps: TelegramDeps): TelegramAdapter {
  const secrets = [deps.token];
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TELEGRAM_TIMEOUT_MS;
  // telegraf makes a fresh client for each update's ctx.telegram: make that one timed too
  class TimedContext extends Context {
    constructor(update: Update, telegram: Telegram, botInfo: UserFromGetMe) {
      super(update, timedTelegram(telegram, timeoutMs), botInfo);
    }
  }
  const bot = new Telegraf(deps.token, { contextType: TimedContext, ...(deps.apiRoot ? { telegram: { apiRoot: deps.apiRoot } } : {}) });
  bot.telegram = new TimedTelegram(deps.token, bot.telegram.options, timeoutMs);
  const sender = createTelegramSender(bot.telegram, deps.clock, {
    secrets,
    ...(deps.retry ? { retry: deps.retry } : {}),
    timeoutMs,
    ...(deps.maxChars ? { maxChars: deps.maxChars } : {}),
    onRetry: (f, n, wait) => deps.logger.warn({ attempt: n, waitMs: wait }, `telegram send retry: ${f.message}`),
  });
  /** A call whose failure must not stop the reply (answering a callback, trimming a keyboard): logged. */
  const bestEffort = (what: string, call: Promise<unknown>): Promise<void> =>
    call.then(
      () => undefined,
      (e: unknown) => {
        const f = failure(e, secrets);
        deps.logger.warn({ code: f.code }, `telegram: ${what} failed: ${f.message}`);
      },
    );

  const deliver = async (chatId: string, reply: Parameters<typeof renderTelegram>[0], replyTo?: number): Promise<void> => {
    const { messages, keyboard } = renderTelegram(reply, deps.maxChars);
    for (let i = 0; i < messages.length; i++) {
      const last = i === messages.length - 1;
      const extra: Record<string, unknown> = {};
      if (last && keyboard.length) extra.reply_markup = { inline_keyboard: keyboard };
      if (i === 0 && replyTo !== undefined) extra.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true };
      await sender.send(chatId, messages[i]!, extra);
    }
  };

  bot.on('message', async (ctx) => {
    const m = ctx.message;
    const isGroup = m.chat.type === 'group' || m.chat.type === 'supergroup';
    if (!('text' in m) || typeof m.text !== 'string') {
      if (!isGroup) await sender.send(String(m.chat.id), escapeHtml('暂只支持文字提问。'));
      return;
    }
    const me = ctx.botInfo;
    const read = readMentions(m.text, m.entities ?? [], me.username, me.id);
    if (read.otherBot) return;
    const msg: IncomingMessage = {
      channel: 'telegram',
      chatId: String(m.chat.id),
      userId: String(m.from.id),
      text: read.text,
      isGroup,
      mentionsBot: read.mentioned,
      isReplyToBot: m.reply_to_message?.from?.id === me.id,
    };
    const reply = await deps.conversation.handle(msg);
    if (reply) await deliver(msg.chatId, reply, isGroup ? m.message_id : undefined);
  });

  bot.on('callback_query', async (ctx) => {
    const q = ctx.callbackQuery;
    const data = 'data' in q ? q.data : undefined;
    const text = data ? CALLBACK_TEXT[data] : undefined;
    const chat = q.message?.chat;
    if (!text || !chat) {
      await bestEffort('answering a callback query', ctx.answerCbQuery());
      return;
    }
    const isGroup = chat.type === 'group' || chat.type === 'supergroup';
    const reply = await deps.conversation.handle({ channel: 'telegram', chatId: String(chat.id), userId: String(q.from.id), text, isGroup, mentionsBot: true });
    const first = reply?.blocks[0];
    if (data === CALLBACK.more) {
      await bestEffort('answering a callback query', ctx.answerCbQuery());
      if (reply) await deliver(String(chat.id), reply);
    } else {
      await bestEffort('answering a callback query', ctx.answerCbQuery(first && first.kind === 'text' ? first.text.slice(0, 190) : '谢谢反馈'));
    }
    // the clicked row is done: drop it from the message's keyboard
    const markup = q.message && 'reply_markup' in q.message ? q.message.reply_markup : undefined;
    if (markup && q.message) {
      const rows = (markup.inline_keyboard as Button[][]).filter((row) => !row.some((b) => b.callback_data === data));
      await bestEffort('removing the used button', ctx.telegram.editMessageReplyMarkup(chat.id, q.message.message_id, undefined, { inline_keyboard: rows }));
    }
  });

  bot.on('inline_query', async (ctx) => {
    const found = deps.conversation.lookup(ctx.inlineQuery.query, 10);
    const results: InlineQueryResultArticle[] = found.map((f) => ({
      type: 'article',
      id: createHash('sha1').update(f.id).digest('hex').slice(0, 32),
      title: `${f.citation.docNumber} ${f.citation.heading.split(' > ').pop() ?? ''}`.slice(0, 120),
      description: f.text.slice(0, 200),
      input_message_content: {
        message_text: renderTelegram({ blocks: [{ kind: 'clause', text: f.text, citation: f.citation }], actions: [] }).messages[0]!,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      },
    }));
    await ctx.answerInlineQuery(results, { cache_time: 300, is_personal: false });
  });

  bot.catch((err: unknown, ctx: Context) => {
    const f = failure(err, secrets);
    deps.logger.error({ update: ctx.update.update_id, code: f.code }, `telegram update failed: ${f.message}`);
  });

  return {
    bot,
    sender,
    handleUpdate: (u) => bot.handleUpdate(u),
    async setCommands() {
      await bot.telegram.setMyCommands(COMMAND_HELP.map((c) => ({ command: c.command, description: c.description.slice(0, 256) })));
    },
  };
}

/**
 * Reads mentions: "@PolicyBot 新农合" → mentioned, text without the mention; "/help@OtherBot"
 * is for another bot. Offsets are UTF-16, as Telegram counts them.
 */
export function readMentions(
  text: string,
  entities: readonly MessageEntity[],
  username: string,
  botId: number,
): { text: string; mentioned: boolean; otherBot: boolean } {
  let mentioned = false;
  let otherBot = false;
  const cuts: Array<[number, number]> = [];
  for (const e of entities) {
    const piece = text.slice(e.offset, e.offset + e.length);
    if (e.type === 'mention' && piece.toLowerCase() === `@${username.toLowerCase()}`) {
      mentioned = true;
      cuts.push([e.offset, e.offset + e.length]);
    } else if (e.type === 'text_mention' && e.user.id === botId) {
      mentioned = true;
      cuts.push([e.offset, e.offset + e.length]);
    } else if (e.type === 'bot_command' && e.offset === 0) {
      const at = piece.indexOf('@');
      if (at >= 0) {
        if (piece.slice(at + 1).toLowerCase() === username.toLowerCase()) mentioned = true;
        else otherBot = true;
      }
    }
  }
  let out = text;
  for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + out.slice(b);
  return { text: out.replace(/\s+/g, ' ').trim(), mentioned, otherBot };
}
