import { request } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../adapters/telegram/bot.ts';
import { secretMatches, startTelegram, WEBHOOK_MAX_BYTES } from '../../adapters/telegram/start.ts';
import { createLogger } from '../../src/logger.ts';
import { harness } from '../conversation/harness.ts';
import { FakeBotApi, textUpdate } from './fake-telegram.ts';
import { lineSink } from '../helpers.ts';

const TOKEN = '123456:AAEwebhookTOKENexample_abcdefgh';
const SECRET = 'hook_secret-42';
let api: FakeBotApi | undefined;
let stop: (() => void) | undefined;

afterEach(async () => {
  stop?.();
  stop = undefined;
  await api?.stop();
  api = undefined;
});

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });

type Post = (body: string | Buffer, headers?: Record<string, string>) => Promise<{ status: number; text: string }>;

async function boot(): Promise<{
  post: (body: string | Buffer, headers?: Record<string, string>) => Promise<number>;
  send: Post;
  logs: string[];
  h: Awaited<ReturnType<typeof harness>>;
}> {
  api = new FakeBotApi();
  const root = await api.start();
  const h = await harness();
  const logs: string[] = [];
  const logger = createLogger('debug', [TOKEN, SECRET], lineSink(logs));
  const adapter = createTelegramAdapter({ token: TOKEN, apiRoot: root, conversation: h.conv, clock: h.clock, logger });
  const port = await freePort();
  stop = await startTelegram(adapter, { kind: 'webhook', url: 'https://bot.example.org/tg/hook', port, secret: SECRET, host: '127.0.0.1' }, logger, TOKEN);
  const send: Post = (body, headers = { 'x-telegram-bot-api-secret-token': SECRET }) =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/tg/hook', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', (e) =>
        (e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE' ? resolve({ status: 413, text: '' }) : reject(e),
      );
      req.end(body);
    });
  const post = async (body: string | Buffer, headers?: Record<string, string>) => (await send(body, headers)).status;
  return { post, send, logs, h };
}

describe('webhook hardening', () => {
  it('answers 400 to anything that is not an update, even with the right secret, and keeps serving', async () => {
    const { post } = await boot();
    for (const body of ['null', '42', '"x"', '[]', '{}', '{"update_id":"7"}', '{not json', '']) expect(await post(body), body).toBe(400);
    expect(await post(JSON.stringify({ update_id: 5, ...textUpdate('新农合补助标准') }))).toBe(200);
    await api!.waitFor(() => api!.of('sendMessage').length >= 1);
    expect(String(api!.of('sendMessage')[0]!.body.text)).toContain('280元');
  });

  it('answers 400 naming the field to an update whose fields the bot reads are malformed, changes nothing, and keeps serving', async () => {
    const { send, logs, h } = await boot();
    const message = textUpdate('新农合补助标准').message as Record<string, unknown>;
    const from = { id: 501, is_bot: false, first_name: 'U' };
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ message: {} }, /message\.message_id/],
      [{ message: 'x' }, /message:/],
      [{ message: null }, /message:/],
      [{ message: { ...message, chat: null } }, /message\.chat:/],
      [{ message: { ...message, chat: { id: '1001', type: 'private' } } }, /message\.chat\.id:/],
      [{ message: { ...message, text: 42 } }, /message\.text:/],
      [{ message: { ...message, from: undefined } }, /message\.from:/],
      [{ message: { ...message, entities: [{ type: 'text_mention', offset: 0, length: 2 }] } }, /message\.entities\.0\.user:/],
      [{ callback_query: {} }, /callback_query\.id:/],
      [{ callback_query: { id: 'cb', from, data: 'more', message: { message_id: 1, date: 0, chat: null } } }, /callback_query\.message\.chat:/],
      [
        {
          callback_query: {
            id: 'cb',
            from,
            data: 'more',
            message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, reply_markup: { inline_keyboard: 'x' } },
          },
        },
        /callback_query\.message\.reply_markup\.inline_keyboard:/,
      ],
      [{ inline_query: null }, /inline_query:/],
      [{ inline_query: { id: 'iq', from, offset: '' } }, /inline_query\.query:/],
    ];
    let id = 100;
    for (const [fields, names] of bad) {
      const r = await send(JSON.stringify({ update_id: id++, ...fields }));
      expect(r.status, JSON.stringify(fields)).toBe(400);
      expect(r.text, JSON.stringify(fields)).toMatch(/^not a Telegram update the bot can read: /);
      expect(r.text, JSON.stringify(fields)).toMatch(names);
    }
    // nothing was handled: no call to the Bot API beyond start-up, nothing in the store, no TypeError logged
    expect(api!.calls.map((c) => c.method).sort()).toEqual(['getMe', 'setMyCommands', 'setWebhook']);
    expect(await h.store.stats()).toMatchObject({ asked: 0, answered: 0 });
    expect(logs.join('')).not.toMatch(/TypeError|telegram update failed/);
    // and it keeps serving: unknown fields and update kinds the bot ignores stay accepted
    expect((await send(JSON.stringify({ update_id: id++, edited_message: { text: 1 }, my_chat_member: {}, something_new: [1] }))).status).toBe(200);
    expect((await send(JSON.stringify({ update_id: id++, ...textUpdate('新农合补助标准'), message_thread_id: 3, extra: { deep: true } }))).status).toBe(200);
    await api!.waitFor(() => api!.of('sendMessage').length >= 1);
    expect(api!.of('sendMessage')).toHaveLength(1);
    expect(String(api!.of('sendMessage')[0]!.body.text)).toContain('280元');
    expect(logs.join('')).not.toMatch(/TypeError|telegram update failed/);
  });

  it('refuses a wrong or missing secret (403) and a body over 1 MB (413)', async () => {
    const { post } = await boot();
    const update = JSON.stringify({ update_id: 6, ...textUpdate('新农合') });
    expect(await post(update, {})).toBe(403);
    expect(await post(update, { 'x-telegram-bot-api-secret-token': `${SECRET}x` })).toBe(403);
    expect(await post(Buffer.alloc(WEBHOOK_MAX_BYTES + 10, 0x20))).toBe(413);
    expect(await post(update)).toBe(200);
  });

  it('compares secrets without leaking their length or prefix through an early exit', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abd', 'abc')).toBe(false);
    expect(secretMatches('ab', 'abc')).toBe(false);
    expect(secretMatches(undefined, '')).toBe(false);
  });
});
