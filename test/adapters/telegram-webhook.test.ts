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

async function boot(): Promise<{ post: (body: string | Buffer, headers?: Record<string, string>) => Promise<number>; logs: string[] }> {
  api = new FakeBotApi();
  const root = await api.start();
  const h = await harness();
  const logs: string[] = [];
  const logger = createLogger('debug', [TOKEN, SECRET], lineSink(logs));
  const adapter = createTelegramAdapter({ token: TOKEN, apiRoot: root, conversation: h.conv, clock: h.clock, logger });
  const port = await freePort();
  stop = await startTelegram(adapter, { kind: 'webhook', url: 'https://bot.example.org/tg/hook', port, secret: SECRET, host: '127.0.0.1' }, logger, TOKEN);
  const post = (body: string | Buffer, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET }) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/tg/hook', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE' ? resolve(413) : reject(e)));
      req.end(body);
    });
  return { post, logs };
}

describe('webhook hardening', () => {
  it('answers 400 to anything that is not an update, even with the right secret, and keeps serving', async () => {
    const { post } = await boot();
    for (const body of ['null', '42', '"x"', '[]', '{}', '{"update_id":"7"}', '{not json', '']) expect(await post(body), body).toBe(400);
    expect(await post(JSON.stringify({ update_id: 5, ...textUpdate('新农合补助标准') }))).toBe(200);
    await api!.waitFor(() => api!.of('sendMessage').length >= 1);
    expect(String(api!.of('sendMessage')[0]!.body.text)).toContain('280元');
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
