import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter, readMentions, type TelegramAdapter } from '../../adapters/telegram/bot.ts';
import { startTelegram, type ConnectOptions } from '../../adapters/telegram/start.ts';
import { createLogger } from '../../src/logger.ts';
import { PermanentSendError } from '../../src/push/sender.ts';
import { harness } from '../conversation/harness.ts';
import { FakeBotApi, textUpdate } from './fake-telegram.ts';
import { lineSink, until } from '../helpers.ts';
import { createManualClock } from '../../src/clock.ts';

const TOKEN = '123456:AAEexampleTOKENexampleTOKEN_abcdef';
const FAST = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 };

let api: FakeBotApi;
let adapter: TelegramAdapter;
let stop: (() => Promise<void>) | undefined;
let logs: string[];
let h: Awaited<ReturnType<typeof harness>>;

async function boot(mode: Parameters<typeof startTelegram>[1] = { kind: 'polling' }, o: { timeoutMs?: number; connect?: ConnectOptions } = {}) {
  const root = await api.start();
  h = await harness();
  logs = [];
  const sink = lineSink(logs);
  const logger = createLogger('debug', [TOKEN], sink);
  adapter = createTelegramAdapter({ token: TOKEN, apiRoot: root, conversation: h.conv, clock: h.clock, logger, retry: FAST, ...o });
  stop = await startTelegram(adapter, mode, logger, TOKEN, o.connect);
}

const sent = () =>
  api
    .of('sendMessage')
    .map(
      (c) =>
        c.body as { chat_id: number | string; text: string; parse_mode?: string; reply_markup?: { inline_keyboard: Array<Array<{ callback_data: string }>> } },
    );

/** A click on "更多" under the first message the bot sent to chat 1001. */
const moreClick = () => ({
  callback_query: {
    id: 'cb1',
    from: { id: 501, is_bot: false, first_name: 'U' },
    chat_instance: 'x',
    data: 'more',
    message: { message_id: 1000, date: 0, chat: { id: 1001, type: 'private' }, text: 'x', reply_markup: sent()[0]!.reply_markup },
  },
});

beforeEach(() => {
  api = new FakeBotApi();
});
afterEach(async () => {
  await stop?.();
  stop = undefined;
  await api.stop();
});

describe('Telegram adapter over real HTTP against a fake Bot API', () => {
  it('registers Chinese commands, answers a question with its citation and buttons', async () => {
    await boot();
    expect(api.of('setMyCommands')[0]!.body.commands).toEqual(expect.arrayContaining([expect.objectContaining({ command: 'cite' })]));
    api.push(textUpdate('新农合政府补助标准是多少钱'));
    await api.waitFor(() => sent().length >= 1);
    const m = sent()[0]!;
    expect(m.parse_mode).toBe('HTML');
    expect(m.text).toContain('每人每年280元');
    expect(m.text).toContain('—— <i>《四川省人民政府办公厅关于印发四川省深化医药卫生体制改革2013年主要工作安排的通知》（川办发〔2013〕52号）一、（一）');
    const cbs = m.reply_markup!.inline_keyboard.flat().map((b) => b.callback_data);
    expect(cbs).toEqual(['more', 'fb:1', 'fb:0']);
    expect(api.calls.every((c) => c.token === TOKEN)).toBe(true);
  });

  it('handles /start (with a deep-link payload) and /cite as commands', async () => {
    await boot();
    api.push(textUpdate('/start from_site', { entities: [{ type: 'bot_command', offset: 0, length: 6 }] }));
    await api.waitFor(() => sent().length >= 1);
    expect(sent()[0]!.text).toContain('政策问答机器人');
    api.push(textUpdate('/cite@PolicyTestBot 川办发〔2013〕52号 第十四条', { entities: [{ type: 'bot_command', offset: 0, length: 19 }] }));
    await api.waitFor(() => sent().length >= 2);
    expect(sent()[1]!.text).toContain('全面推进县级公立医院取消药品加成改革');
    expect(sent()[1]!.text).toContain('三、（十四）');
  });

  it('pages through a "more" callback and drops the used button', async () => {
    await boot();
    api.push(textUpdate('新农合'));
    await api.waitFor(() => sent().length >= 1);
    api.push(moreClick());
    await api.waitFor(() => sent().length >= 2 && api.of('editMessageReplyMarkup').length >= 1);
    expect(sent()[1]!.text).not.toBe(sent()[0]!.text);
    expect(api.of('answerCallbackQuery')).toHaveLength(1);
    const kb = api.of('editMessageReplyMarkup')[0]!.body.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> };
    expect(kb.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['fb:1', 'fb:0']);
    expect((await h.store.session('telegram:1001', h.clock.now()))!.shown).toBe(2);
  });

  it('answers an inline query with up to 10 citable articles', async () => {
    await boot();
    api.push({ inline_query: { id: 'iq1', from: { id: 501, is_bot: false, first_name: 'U' }, query: '新农合', offset: '' } });
    await api.waitFor(() => api.of('answerInlineQuery').length >= 1);
    const results = api.of('answerInlineQuery')[0]!.body.results as Array<{
      type: string;
      input_message_content: { message_text: string; parse_mode: string };
    }>;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(10);
    expect(results[0]!.type).toBe('article');
    expect(results[0]!.input_message_content.message_text).toMatch(/—— <i>《.*》（川办发〔2013〕52号）/);
  });

  it('stays silent in a group unless mentioned, and strips the mention', async () => {
    await boot();
    api.push(textUpdate('新农合补助标准', { chatId: -5, type: 'supergroup' }));
    api.push(textUpdate('/help@OtherBot', { chatId: -5, type: 'supergroup', entities: [{ type: 'bot_command', offset: 0, length: 14 }] }));
    api.push(textUpdate('@PolicyTestBot 新农合补助标准是多少', { chatId: -5, type: 'supergroup', entities: [{ type: 'mention', offset: 0, length: 14 }] }));
    await api.waitFor(() => sent().length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(sent()).toHaveLength(1);
    expect(String(sent()[0]!.chat_id)).toBe('-5');
    expect(sent()[0]!.text).toContain('280元');
  });

  it('escapes HTML from user text', async () => {
    await boot();
    api.push(textUpdate('/subscribe <b>医保</b> a&b'));
    await api.waitFor(() => sent().length >= 1);
    expect(sent()[0]!.text).toContain('&lt;b&gt;医保&lt;/b&gt;');
    expect(sent()[0]!.text).toContain('a&amp;b');
    expect(sent()[0]!.text).not.toContain('<b>医保');
  });

  it('splits a long answer under 4096 characters per message, between clauses', async () => {
    await boot();
    api.push(textUpdate('/cite 国发〔2013〕31号 第三部分'));
    await api.waitFor(() => sent().length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    const texts = sent().map((m) => m.text);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts[texts.length - 1]).toContain('—— <i>');
  });

  it('replies "text only" to a non-text private message', async () => {
    await boot();
    api.push({
      message: { message_id: 9, date: 0, chat: { id: 1001, type: 'private' }, from: { id: 501, is_bot: false, first_name: 'U' }, sticker: { file_id: 'x' } },
    });
    await api.waitFor(() => sent().length >= 1);
    expect(sent()[0]!.text).toContain('暂只支持文字提问');
  });
});

describe('Telegram sending: 429, 5xx, 403, network errors', () => {
  it('waits retry_after on 429 and backs off on 500, on the injected clock', async () => {
    await boot();
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    api.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    const before = h.clock.slept;
    await adapter.sender.send('1001', 'hello');
    expect(h.clock.slept - before).toBe(7000 + 1000);
    expect(api.of('sendMessage')).toHaveLength(3);
  });

  it('a sendMessage that reached the API but timed out is retried, so the chat gets it twice', async () => {
    await boot({ kind: 'polling' }, { timeoutMs: 300 });
    let n = 0;
    api.onRequest = (m) => (m === 'sendMessage' && n++ === 0 ? 'hang' : undefined);
    await adapter.sender.send('1001', 'hello');
    expect(sent().map((m) => m.text)).toEqual(['hello', 'hello']);
    expect(logs.join('')).toMatch(/telegram send retry: Bot API sendMessage timed out after 300 ms/);
  });

  it('gives up at once on 403 (bot blocked) with a permanent error', async () => {
    await boot();
    api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await expect(adapter.sender.send('1001', 'hello')).rejects.toSatisfy((e: unknown) => e instanceof PermanentSendError && e.reason === 'blocked');
    expect(api.of('sendMessage')).toHaveLength(1);
  });

  it('a failing reply does not stop the bot, and the token never reaches a log line', async () => {
    await boot();
    api.onRequest = (m) => (m === 'sendMessage' ? 'drop' : undefined);
    api.push(textUpdate('新农合'));
    await api.waitFor(() => api.of('sendMessage').length >= 4);
    await new Promise((r) => setTimeout(r, 300));
    api.onRequest = undefined;
    api.push(textUpdate('联席会议多久开一次会'));
    await api.waitFor(() => sent().some((m) => m.text.includes('每季度召开一次')));
    const all = logs.join('');
    expect(all).toContain('telegram send retry');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(TOKEN.split(':')[1]);
  });
});

describe("every Bot API call has the configured timeout, not telegraf's 500 s", () => {
  const hangOn = (...methods: string[]): void => {
    api.onRequest = (m) => (methods.includes(m) ? 'hang' : undefined);
  };
  const logged = () => logs.join('');

  it('setMyCommands at start-up: start goes on after the timeout, says why with CHANNEL_TIMEOUT, and answers', async () => {
    hangOn('setMyCommands');
    const t0 = Date.now();
    await boot({ kind: 'polling' }, { timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(logged()).toMatch(/could not register the command menu: Bot API setMyCommands timed out after 300 ms/);
    expect(logged()).toContain('"code":"CHANNEL_TIMEOUT"');
    api.push(textUpdate('新农合政府补助标准是多少钱'));
    await api.waitFor(() => sent().length >= 1);
  });

  it('answerCallbackQuery and editMessageReplyMarkup that never answer: the next page still goes out, each timeout logged', async () => {
    await boot({ kind: 'polling' }, { timeoutMs: 300 });
    api.push(textUpdate('新农合'));
    await api.waitFor(() => sent().length >= 1);
    hangOn('answerCallbackQuery', 'editMessageReplyMarkup');
    api.push(moreClick());
    await api.waitFor(() => sent().length >= 2);
    await until(() => /removing the used button failed: Bot API editMessageReplyMarkup timed out after 300 ms/.test(logged()), 5000);
    expect(logged()).toMatch(/answering a callback query failed: Bot API answerCallbackQuery timed out after 300 ms/);
  });

  it('answerInlineQuery that never answers: the update fails with CHANNEL_TIMEOUT and polling goes on', async () => {
    await boot({ kind: 'polling' }, { timeoutMs: 300 });
    hangOn('answerInlineQuery');
    api.push({ inline_query: { id: 'iq1', from: { id: 501, is_bot: false, first_name: 'U' }, query: '新农合', offset: '' } });
    await until(() => /telegram update failed: Bot API answerInlineQuery timed out after 300 ms/.test(logged()), 5000);
    expect(logged()).toMatch(/"code":"CHANNEL_TIMEOUT"[^\n]*answerInlineQuery timed out/);
    api.push(textUpdate('新农合政府补助标准是多少钱'));
    await api.waitFor(() => sent().length >= 1);
  });

  it('a getUpdates long poll that never returns: it times out after the poll wait plus the timeout, is logged and polled again', async () => {
    let polls = 0;
    api.onRequest = (m) => (m === 'getUpdates' && polls++ === 0 ? 'hang' : undefined);
    await boot({ kind: 'polling' }, { timeoutMs: 300, connect: { pollSeconds: 1, clock: createManualClock() } });
    api.push(textUpdate('新农合政府补助标准是多少钱'));
    await api.waitFor(() => sent().length >= 1);
    expect(logged()).toMatch(/telegram polling failed \(Bot API getUpdates timed out after 1300 ms\); retrying in 1000 ms/);
    expect(polls).toBeGreaterThan(1);
  });
});

describe('webhook mode', () => {
  it('sets the webhook with a secret and refuses requests without it', async () => {
    const port = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    await boot({ kind: 'webhook', url: 'https://bot.example.org/tg/hook', port, secret: 'sec_ret-1', host: '127.0.0.1' });
    await api.waitFor(() => api.of('setWebhook').length >= 1);
    expect(api.of('setWebhook')[0]!.body).toMatchObject({ url: 'https://bot.example.org/tg/hook', secret_token: 'sec_ret-1' });
    const update = JSON.stringify({ update_id: 1, ...textUpdate('新农合补助标准') });
    const bad = await fetch(`http://127.0.0.1:${port}/tg/hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: update });
    expect(bad.status).toBe(403);
    const ok = await fetch(`http://127.0.0.1:${port}/tg/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'sec_ret-1' },
      body: update,
    });
    expect(ok.status).toBe(200);
    await api.waitFor(() => sent().length >= 1);
    expect(sent()[0]!.text).toContain('280元');
  });
});

describe('mentions', () => {
  it('reads @mentions and commands for other bots', () => {
    expect(readMentions('@PolicyTestBot 医保', [{ type: 'mention', offset: 0, length: 14 }], 'PolicyTestBot', 1)).toEqual({
      text: '医保',
      mentioned: true,
      otherBot: false,
    });
    expect(readMentions('/help@X', [{ type: 'bot_command', offset: 0, length: 7 }], 'PolicyTestBot', 1).otherBot).toBe(true);
  });
});
