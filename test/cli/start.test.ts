import { createServer as createNetServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi, textUpdate } from '../adapters/fake-telegram.ts';
import { ROOT, tempDataDir, until } from '../helpers.ts';

const TOKEN = '424242:AAF_start_test_token_abcdefghij';
let child: ChildProcess | undefined;
let api: FakeBotApi | undefined;

afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await api?.stop();
  api = undefined;
});

function start(env: Record<string, string>): { out: () => string; err: () => string; exit: Promise<number | null> } {
  let out = '';
  let err = '';
  child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/cli/main.ts'), 'start'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((res) => child!.on('close', res));
  return { out: () => out, err: () => err, exit };
}

describe('npm start with a chat token', () => {
  it('runs Telegram and the push scheduler, answers over HTTP, never logs the token, stops on SIGTERM', async () => {
    api = new FakeBotApi();
    const root = await api.start();
    const dir = await tempDataDir();
    const p = start({ POLICYBOT_DATA_DIR: dir, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, WECHATY_PUPPET: '' });
    await until(() => p.err().includes('PolicyBot started'));
    expect(p.err()).toMatch(/started: telegram \(polling\), push scheduler \(09:00 Asia\/Shanghai\)/);
    api.push(textUpdate('新农合政府补助标准是多少钱'));
    await until(() => api!.of('sendMessage').length > 0);
    expect(String(api.of('sendMessage')[0]!.body.text)).toContain('每人每年280元');
    child!.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.err() + p.out()).not.toContain(TOKEN.split(':')[1]);
  });

  it('runs WeChat with a puppet by name', async () => {
    const dir = await tempDataDir();
    const p = start({ POLICYBOT_DATA_DIR: dir, TELEGRAM_BOT_TOKEN: '', WECHATY_PUPPET: 'wechaty-puppet-mock' });
    await until(() => p.err().includes('PolicyBot started'));
    expect(p.err()).toMatch(/started: wechat \(wechaty-puppet-mock\), push scheduler/);
    child!.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });
});

describe('npm start when the Bot API cannot be used', () => {
  it('an unreachable API: retries with backoff, logs why, then exits 1 with one clear line and no stack trace', async () => {
    const dir = await tempDataDir();
    const closed = await new Promise<number>((res) => {
      const s = createNetServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => res(port));
      });
    });
    const p = start({
      POLICYBOT_DATA_DIR: dir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${closed}`,
      WECHATY_PUPPET: '',
      POLICYBOT_TELEGRAM_CONNECT_ATTEMPTS: '2',
    });
    expect(await p.exit).toBe(1);
    expect(p.err()).toMatch(/Telegram Bot API unreachable \(.*ECONNREFUSED.*\); retrying in 1000 ms/);
    expect(p.err()).toMatch(/\nCHANNEL_UNAVAILABLE: cannot reach the Telegram Bot API at http:\/\/127\.0\.0\.1:\d+\/? after 2 attempts/);
    expect(p.err()).not.toMatch(/\n\s+at /);
    expect(p.err() + p.out()).not.toContain(TOKEN.split(':')[1]);
  });

  it('a wrong token (401): exits 1 at once naming TELEGRAM_BOT_TOKEN', async () => {
    api = new FakeBotApi();
    const root = await api.start();
    api.failNext('getMe', { error_code: 401, description: 'Unauthorized' });
    const dir = await tempDataDir();
    const p = start({ POLICYBOT_DATA_DIR: dir, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, WECHATY_PUPPET: '' });
    expect(await p.exit).toBe(1);
    expect(p.err().trim().split('\n').pop()).toBe(
      'CHANNEL_UNAUTHORIZED: the Telegram Bot API refused TELEGRAM_BOT_TOKEN (401 Unauthorized): set the token @BotFather gave you',
    );
    expect(p.err()).not.toMatch(/\n\s+at /);
    expect(p.err() + p.out()).not.toContain(TOKEN.split(':')[1]);
    expect(api.of('getMe')).toHaveLength(1);
  });
});
