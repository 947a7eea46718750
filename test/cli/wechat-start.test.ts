import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../adapters/fake-wechat-api.ts';
import { textMessage, WechatSide } from '../adapters/wechat-callback/client.ts';
import { FIXTURES, ROOT, tempDataDir, until } from '../helpers.ts';

const MP = {
  WECHAT_MP_TOKEN: 'policybotToken2026',
  WECHAT_MP_APPID: 'wx5823bf96d3bd56c7',
  WECHAT_MP_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECHAT_MP_SECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
};
const WECOM = {
  WECOM_CORP_ID: 'ww1234567890abcdef',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'corpSecret_0123456789abcdefghij',
  WECOM_TOKEN: 'wecomToken42',
  WECOM_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
let child: ChildProcess | undefined;
const api = new FakeWechatApi({ appId: MP.WECHAT_MP_APPID, appSecret: MP.WECHAT_MP_SECRET, corpId: WECOM.WECOM_CORP_ID, corpSecret: WECOM.WECOM_SECRET });

afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await api.stop();
});

describe('npm start with an Official Account and a WeCom app', () => {
  it('serves both callbacks on one port, answers encrypted questions, never logs a secret, stops on SIGTERM', async () => {
    const root = await api.start();
    const dir = await tempDataDir();
    let err = '';
    child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/cli/main.ts'), 'start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'debug',
        POLICYBOT_DATA_DIR: dir,
        TELEGRAM_BOT_TOKEN: '',
        WECHATY_PUPPET: '',
        WECHAT_CALLBACK_PORT: '0',
        WECHAT_API_ROOT: root,
        WECOM_API_ROOT: root,
        ...MP,
        ...WECOM,
      },
    });
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => (err += d));
    const exit = new Promise<number | null>((res) => child!.on('close', res));
    await until(() => err.includes('PolicyBot started'));
    expect(err).toMatch(/wechat-mp \/wechat \(safe mode, push\), wecom \/wecom \(agent 1000002\), push scheduler/);
    const base = /wechat callback (http:\/\/127\.0\.0\.1:\d+)/.exec(err)![1]!;

    const mp = new WechatSide(`${base}/wechat`, MP.WECHAT_MP_TOKEN, MP.WECHAT_MP_APPID, MP.WECHAT_MP_AES_KEY);
    expect((await mp.send(textMessage('o-alice', '新农合政府补助标准是多少钱'))).reply!['Content']).toContain('每人每年280元');
    expect((await mp.send(textMessage('o-alice', '新农合'), { wrong: true })).status).toBe(403);
    const wecom = new WechatSide(`${base}/wecom`, WECOM.WECOM_TOKEN, WECOM.WECOM_CORP_ID, WECOM.WECOM_AES_KEY, 'wecom');
    expect(await wecom.get(wecom.query({ echostr: wecom.cipher!.encrypt('42') }))).toEqual({ status: 200, text: '42' });
    const r = await wecom.send({ ...textMessage('lisi', '联席会议多久开一次会'), ToUserName: WECOM.WECOM_CORP_ID, AgentID: 1000002 });
    expect(r.reply!['Content']).toContain('每季度召开一次');

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    for (const secret of [...Object.values(MP), WECOM.WECOM_SECRET, WECOM.WECOM_AES_KEY, WECOM.WECOM_TOKEN]) {
      if (secret.startsWith('wx')) continue; // the AppID is not a secret
      expect(err).not.toContain(secret);
    }
  });
});

/** Drops an issue into the inbox and runs `policybot push --once` as a process. */
async function pushOnceWithNewIssue(dir: string, env: Record<string, string>): Promise<{ code: unknown; out: string }> {
  const { mkdir, copyFile } = await import('node:fs/promises');
  await mkdir(join(dir, 'inbox'), { recursive: true });
  await copyFile(join(FIXTURES, 'mianyang-2013-14.md'), join(dir, 'inbox', '14.md'));
  let out = '';
  child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/cli/main.ts'), 'push', '--once'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: '', ...env },
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const code = await new Promise((res) => child!.on('close', res));
  return { code, out };
}

describe('policybot push --once through the Official Account', () => {
  it('sends to a user who wrote within 48 hours, keeps the push pending for one who did not, and says so', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { loadConfig } = await import('../../src/config/config.ts');
    const { createLogger } = await import('../../src/logger.ts');
    const root = await api.start();
    const dir = await tempDataDir();
    const env = { POLICYBOT_DATA_DIR: dir, WECHAT_API_ROOT: root, ...MP };
    const app = await createApp(loadConfig(env), { logger: createLogger('silent') });
    for (const u of ['o-zoe', 'o-yan'])
      await app.conversation.handle({ channel: 'wechat-mp', chatId: u, userId: u, text: '订阅', isGroup: false, mentionsBot: false });
    await app.store.noteInbound({ channel: 'wechat-mp', chatId: 'o-zoe' }, Date.now() - 3600_000);
    await app.store.noteInbound({ channel: 'wechat-mp', chatId: 'o-yan' }, Date.now() - 49 * 3600_000);
    await app.store.close();
    const { code, out } = await pushOnceWithNewIssue(dir, env);
    expect(code).toBe(0);
    expect(out).toContain('sent 1, failed for good 0, to retry 0, waiting for the user 1');
    expect(out).toContain('wechat-mp: 1 still pending (users who have not written within 48 hours get it when they next write');
    const sent = api.to('/cgi-bin/message/custom/send');
    expect(sent.map((c) => (c.body as { touser: string }).touser)).toEqual(['o-zoe']);
    expect(JSON.stringify(sent[0]!.body)).toContain('绵阳市人民政府公报');
    expect(out).not.toContain(MP.WECHAT_MP_SECRET);
  });
});

describe('policybot push --once when WeChat refuses the credentials', () => {
  it('a wrong AppSecret: exit 1 naming WECHAT_MP_SECRET, nobody marked failed, the push still pending, the secret never printed', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { loadConfig } = await import('../../src/config/config.ts');
    const { createLogger } = await import('../../src/logger.ts');
    const { openStore } = await import('../../src/store/open.ts');
    const root = await api.start();
    const dir = await tempDataDir();
    const wrong = 'ffffffffffffffffffffffffffffffff';
    const env = { POLICYBOT_DATA_DIR: dir, WECHAT_API_ROOT: root, ...MP, WECHAT_MP_SECRET: wrong };
    const app = await createApp(loadConfig(env), { logger: createLogger('silent') });
    await app.conversation.handle({ channel: 'wechat-mp', chatId: 'o-zoe', userId: 'o-zoe', text: '订阅', isGroup: false, mentionsBot: false });
    await app.store.noteInbound({ channel: 'wechat-mp', chatId: 'o-zoe' }, Date.now());
    await app.store.close();
    const { code, out } = await pushOnceWithNewIssue(dir, env);
    expect(code).toBe(1);
    expect(out).toMatch(
      /push stopped early: WeChat refused the access_token request \(WeChat API error 40125: invalid appsecret\): check WECHAT_MP_APPID and WECHAT_MP_SECRET/,
    );
    expect(out).not.toContain(wrong);
    expect(out).not.toMatch(/\n\s+at /);
    const store = await openStore({ dataDir: dir });
    expect(await store.announced()).not.toContain('issue:绵阳市人民政府公报:2013:14');
    expect(await store.progress('issue:绵阳市人民政府公报:2013:14')).toMatchObject({ pending: 1, failed: 0, sent: 0 });
    expect((await store.subscriber({ channel: 'wechat-mp', chatId: 'o-zoe' }))?.active).toBe(true);
    await store.close();
  });
});

describe('policybot push --once with an Official Account that cannot push', () => {
  it('without WECHAT_MP_SECRET: the followers stay pending and the report says what to set', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { loadConfig } = await import('../../src/config/config.ts');
    const { createLogger } = await import('../../src/logger.ts');
    const dir = await tempDataDir();
    const env = { POLICYBOT_DATA_DIR: dir, WECHAT_MP_TOKEN: MP.WECHAT_MP_TOKEN, WECHAT_MP_APPID: MP.WECHAT_MP_APPID };
    const app = await createApp(loadConfig(env), { logger: createLogger('silent') });
    await app.conversation.handle({ channel: 'wechat-mp', chatId: 'o-zoe', userId: 'o-zoe', text: '订阅', isGroup: false, mentionsBot: false });
    await app.store.close();
    const { code, out } = await pushOnceWithNewIssue(dir, env);
    expect(code).toBe(0);
    expect(out).toContain('wechat-mp: 1 pending — this channel is not running in this process; set WECHAT_MP_SECRET');
    expect(out).not.toContain(', done');
  });
});

describe('policybot push --once through the WeCom app', () => {
  it('pushes a new inbox issue to a WeCom subscriber through message/send', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { loadConfig } = await import('../../src/config/config.ts');
    const { createLogger } = await import('../../src/logger.ts');
    const root = await api.start();
    const dir = await tempDataDir();
    const env = { POLICYBOT_DATA_DIR: dir, WECOM_API_ROOT: root, ...WECOM };
    const app = await createApp(loadConfig(env), { logger: createLogger('silent') });
    await app.conversation.handle({ channel: 'wecom', chatId: 'lisi', userId: 'lisi', text: '订阅', isGroup: false, mentionsBot: false });
    const { code, out } = await pushOnceWithNewIssue(dir, env);
    expect(code).toBe(0);
    expect(out).toContain('sent 1, failed for good 0, to retry 0, done');
    const sent = api.to('/cgi-bin/message/send');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.body).toMatchObject({ touser: 'lisi', msgtype: 'text', agentid: 1000002 });
    expect(JSON.stringify(sent.map((c) => c.body))).toContain('绵阳市人民政府公报');
  });
});
