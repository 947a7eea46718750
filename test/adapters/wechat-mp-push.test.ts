import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatApiClient } from '../../adapters/wechat-callback/api.ts';
import { startCallbackChannels } from '../../src/cli/wechat-callbacks.ts';
import { createOfficialAccountSender, SERVICE_WINDOW_MS } from '../../adapters/wechat-mp/sender.ts';
import { createApp } from '../../src/app.ts';
import { createManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { createLogger } from '../../src/logger.ts';
import { deliverWaiting, runPushCycle } from '../../src/push/cycle.ts';
import { noPacing } from '../../src/push/pacer.ts';
import { cycleDeps } from '../../src/push/scheduler.ts';
import { ChannelAuthError, DeferredSendError, PermanentSendError } from '../../src/push/sender.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { FIXTURES, tempDataDir, until } from '../helpers.ts';
import { startPg, type PgServer } from '../store/pg-server.ts';
import { FakeWechatApi } from './fake-wechat-api.ts';
import { textMessage, WechatSide } from './wechat-callback/client.ts';

const APPID = 'wx5823bf96d3bd56c7';
const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const MP_TOKEN = 'policybotToken2026';
const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const reply = (...texts: string[]): Reply => ({ blocks: texts.map((text) => ({ kind: 'text' as const, text })), actions: [] });
const mp = (openid: string) => ({ channel: 'wechat-mp', chatId: openid });

describe('Official Account push sender (customer-service messages)', () => {
  const api = new FakeWechatApi({ appId: APPID, appSecret: SECRET });
  let root: string;
  const logLines: string[] = [];
  const logger = createLogger('debug', [SECRET], { write: (s: string) => void logLines.push(s) });
  beforeAll(async () => {
    root = await api.start();
  });
  afterAll(() => api.stop());

  async function setup() {
    const clock = createManualClock();
    const store = await openFileStore(await mkdtemp(join(tmpdir(), 'policybot-mp-')), { now: () => clock.now() });
    const client = new WechatApiClient({
      root,
      tokenPath: `/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`,
      secrets: [SECRET],
      clock,
    });
    const sender = createOfficialAccountSender({ api: client, store, clock, logger, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });
    return { clock, store, client, sender };
  }
  const to = (openid: string) => api.to('/cgi-bin/message/custom/send').filter((c) => (c.body as { touser: string }).touser === openid);

  it('sends within 48 hours of the last message, fetching the access token once', async () => {
    const { store, clock, client, sender } = await setup();
    await store.noteInbound(mp('o-alice'), clock.now());
    await sender.sendReply('o-alice', reply('新一期公报：第一条'), noPacing);
    await sender.sendReply('o-alice', reply('新一期公报：第二条'), noPacing);
    expect(to('o-alice').map((c) => c.body)).toEqual([
      { touser: 'o-alice', msgtype: 'text', text: { content: '新一期公报：第一条' } },
      { touser: 'o-alice', msgtype: 'text', text: { content: '新一期公报：第二条' } },
    ]);
    expect(client.tokensFetched).toBe(1);
  });

  it('on 40001 (expired token) fetches a new token and retries once', async () => {
    const { store, clock, client, sender } = await setup();
    await store.noteInbound(mp('o-bob'), clock.now());
    await sender.sendReply('o-bob', reply('一'), noPacing);
    api.expireTokens();
    await sender.sendReply('o-bob', reply('二'), noPacing);
    expect(client.tokensFetched).toBe(2);
    expect(
      to('o-bob')
        .slice(-2)
        .map((c) => c.query['access_token']),
    ).toEqual([api.issued.at(-2), api.issued.at(-1)]);
    // a token that stays invalid fails for good instead of looping
    api.fail('/cgi-bin/message/custom/send', { errcode: 40001 }, { errcode: 40001 });
    await expect(sender.sendReply('o-bob', reply('三'), noPacing)).rejects.toBeInstanceOf(PermanentSendError);
  });

  it('outside the window (never wrote, wrote 48 hours ago, or 45015 from WeChat) the send waits instead of failing or counting as sent', async () => {
    const { clock, store, sender } = await setup();
    await expect(sender.sendReply('o-carol', reply('从未发过消息'), noPacing)).rejects.toBeInstanceOf(DeferredSendError);
    await store.noteInbound(mp('o-carol'), clock.now());
    clock.advance(SERVICE_WINDOW_MS);
    await expect(sender.sendReply('o-carol', reply('窗口已过'), noPacing)).rejects.toBeInstanceOf(DeferredSendError);
    expect(to('o-carol')).toHaveLength(0);
    await store.noteInbound(mp('o-carol'), clock.now());
    api.fail('/cgi-bin/message/custom/send', { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' });
    await expect(sender.sendReply('o-carol', reply('微信说超时'), noPacing)).rejects.toBeInstanceOf(DeferredSendError);
    expect(to('o-carol')).toHaveLength(1); // the refused call, nothing delivered
  });

  it('a push over 2048 bytes is sent in parts, each recorded: after a 45015 mid-way only the missing part goes out', async () => {
    const { clock, store, sender } = await setup();
    await store.noteInbound(mp('o-gail'), clock.now());
    const long = reply('第一部分'.repeat(150), '第二部分'.repeat(150));
    const done: number[] = [];
    // the first part goes out (errcode 0), WeChat refuses the second (too many messages since the user wrote)
    api.fail('/cgi-bin/message/custom/send', { errcode: 0 }, { errcode: 45047, errmsg: 'out of response count limit' });
    await expect(sender.sendReply('o-gail', long, noPacing, { fromPart: 0, onPart: async (n) => void done.push(n) })).rejects.toBeInstanceOf(DeferredSendError);
    expect(done).toEqual([1]);
    await sender.sendReply('o-gail', long, noPacing, { fromPart: 1, onPart: async (n) => void done.push(n) });
    const contents = to('o-gail').map((c) => (c.body as { text: { content: string } }).text.content);
    expect(contents).toHaveLength(3);
    expect(contents[0]).toContain('第一部分');
    expect(contents[1]).toBe(contents[2]); // the refused second part, then its resend
    expect(contents[2]).toContain('第二部分');
    expect(done).toEqual([1, 2]);
    for (const c of contents) expect(Buffer.byteLength(c)).toBeLessThanOrEqual(2048);
  });

  it('an unfollowed user (43004) is final (blocked); a system error (-1) is retried', async () => {
    const { store, clock, sender } = await setup();
    await store.noteInbound(mp('o-dan'), clock.now());
    api.fail('/cgi-bin/message/custom/send', { errcode: -1, errmsg: 'system error' });
    await sender.sendReply('o-dan', reply('重试后送达'), noPacing);
    expect(to('o-dan')).toHaveLength(2);
    api.fail('/cgi-bin/message/custom/send', { errcode: 43004, errmsg: 'require subscribe' });
    const e = await sender.sendReply('o-dan', reply('x'), noPacing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermanentSendError);
    expect((e as PermanentSendError).reason).toBe('blocked');
  });

  it('an account without customer-service rights (48001) stops the push instead of failing each user', async () => {
    const { store, clock, sender } = await setup();
    await store.noteInbound(mp('o-eve'), clock.now());
    api.fail('/cgi-bin/message/custom/send', { errcode: 48001, errmsg: 'api unauthorized' });
    await expect(sender.sendReply('o-eve', reply('x'), noPacing)).rejects.toBeInstanceOf(ChannelAuthError);
  });

  it('never logs the access token or the AppSecret', async () => {
    const joined = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const t of api.issued) expect(joined).not.toContain(t);
    expect(joined).not.toContain(SECRET);
  });
});

let pgServer: PgServer | undefined;
const stores: Array<[string, () => Promise<Record<string, string>>]> = [
  ['file', async () => ({})],
  [
    'postgres',
    async () => {
      pgServer ??= await startPg();
      return { POLICYBOT_DATABASE_URL: await pgServer.newDatabase() };
    },
  ],
];
afterAll(async () => {
  await pgServer?.stop();
});

describe.each(stores)('Official Account pushes and subscriptions on the %s store (composition root, real HTTP)', (_name, storeEnv) => {
  it('follow subscribes; a user outside the 48-hour window waits and gets the push after writing, once, even from two processes; unsubscribed and expired waits end the issue', async () => {
    const api = new FakeWechatApi({ appId: APPID, appSecret: SECRET });
    const root = await api.start();
    const dir = await tempDataDir();
    const env = {
      POLICYBOT_DATA_DIR: dir,
      WECHAT_CALLBACK_PORT: '0',
      WECHAT_API_ROOT: root,
      WECHAT_MP_TOKEN: MP_TOKEN,
      WECHAT_MP_APPID: APPID,
      WECHAT_MP_AES_KEY: AES,
      WECHAT_MP_SECRET: SECRET,
      POLICYBOT_WECHAT_MP_WAIT_DAYS: '7',
      ...(await storeEnv()),
    };
    const clock = createManualClock();
    const logger = createLogger('silent');
    const app = await createApp(loadConfig(env), { clock, logger });
    // a second process on the same store (`push --once` beside `npm start`, or another instance)
    const other = await createApp(loadConfig(env), { clock, logger });
    const ch = await startCallbackChannels(app);
    const to = (openid: string) => api.to('/cgi-bin/message/custom/send').filter((c) => (c.body as { touser: string }).touser === openid);
    const settle = () => new Promise((r) => setTimeout(r, 300));
    try {
      const side = new WechatSide(`${/(http:\/\/127\.0\.0\.1:\d+)/.exec(ch.started[0]!)![1]}/wechat`, MP_TOKEN, APPID, AES);
      const follow = (openid: string, event = 'subscribe') =>
        side.send({ ToUserName: 'gh_policybot', FromUserName: openid, CreateTime: Math.floor(clock.now() / 1000), MsgType: 'event', Event: event });
      for (const u of ['o-ann', 'o-bob', 'o-cat', 'o-dee']) expect((await follow(u)).reply!['Content']).toContain('已订阅');
      expect((await app.store.subscribers()).filter((s) => s.channel === 'wechat-mp' && s.active)).toHaveLength(4);
      await settle();

      // two days later only o-ann writes; then a new issue arrives
      clock.advance(SERVICE_WINDOW_MS + 3600_000);
      await side.send(textMessage('o-ann', '帮助'));
      await settle();
      await mkdir(join(dir, 'inbox'), { recursive: true });
      await copyFile(join(FIXTURES, 'mianyang-2013-14.md'), join(dir, 'inbox', '14.md'));
      const r1 = await runPushCycle(cycleDeps(app, ch.senders));
      const b1 = r1.broadcasts[0]!;
      expect(b1).toMatchObject({ sent: 1, waiting: 3, failed: 0, announced: false, pendingByChannel: { 'wechat-mp': 3 } });
      expect(to('o-ann')).toHaveLength(1);
      expect([...['o-bob', 'o-cat', 'o-dee'].map((u) => to(u).length)]).toEqual([0, 0, 0]);
      // the next day's cycle does not call WeChat for users still away
      clock.advance(24 * 3600_000);
      const calls = api.calls.length;
      const r2 = await runPushCycle(cycleDeps(app, ch.senders));
      expect(r2.broadcasts[0]).toMatchObject({ sent: 0, waiting: 0, announced: false, pendingByChannel: { 'wechat-mp': 3 } });
      expect(api.calls.length).toBe(calls);

      // o-bob writes: the push that waited goes out right after the passive reply, once
      expect((await side.send(textMessage('o-bob', '新农合政府补助标准是多少钱'))).reply!['Content']).toContain('每人每年280元');
      await until(() => to('o-bob').length > 0, 10_000);
      await settle();
      expect(to('o-bob')).toHaveLength(1);
      expect(JSON.stringify(to('o-bob')[0]!.body)).toContain('绵阳市人民政府公报');

      // o-cat writes, seen by both processes at once (the other one has not loaded the new issue yet): still exactly one message
      await other.store.noteInbound(mp('o-cat'), clock.now());
      const [x, y] = await Promise.all([deliverWaiting(mp('o-cat'), cycleDeps(app, ch.senders)), deliverWaiting(mp('o-cat'), cycleDeps(other, ch.senders))]);
      expect(x.sent + y.sent).toBe(1);
      expect(to('o-cat')).toHaveLength(1);

      // o-dee never writes again: after POLICYBOT_WECHAT_MP_WAIT_DAYS the wait ends as failed, the issue is announced, o-dee stays subscribed
      clock.advance(7 * 24 * 3600_000);
      const r3 = await runPushCycle(cycleDeps(app, ch.senders));
      expect(r3.broadcasts[0]).toMatchObject({ sent: 0, failed: 1, announced: true });
      expect(await app.store.announced()).toContain(b1.issueKey);
      expect((await other.store.subscriber(mp('o-dee')))?.active).toBe(true);
      expect(to('o-dee')).toHaveLength(0);

      // a second issue: o-dee unfollows while it waits; that delivery ends as "unsubscribed" and sends nothing
      await copyFile(join(FIXTURES, 'bulletin-other.md'), join(dir, 'inbox', 'other.md'));
      const r4 = await runPushCycle(cycleDeps(app, ch.senders));
      expect(r4.broadcasts[0]).toMatchObject({ sent: 0, waiting: 4, announced: false });
      expect((await follow('o-dee', 'unsubscribe')).text).toBe('success');
      expect((await app.store.subscriber(mp('o-dee')))?.active).toBe(false);
      for (const u of ['o-ann', 'o-bob', 'o-cat']) await side.send(textMessage(u, '最新一期'));
      await until(() => ['o-ann', 'o-bob', 'o-cat'].every((u) => to(u).length === 2), 10_000);
      clock.advance(8 * 24 * 3600_000);
      const r5 = await runPushCycle(cycleDeps(app, ch.senders));
      expect(r5.broadcasts[0]).toMatchObject({ sent: 0, failed: 1, announced: true });
      expect(to('o-dee')).toHaveLength(0);
      for (const u of ['o-ann', 'o-bob', 'o-cat']) expect(to(u)).toHaveLength(2);
    } finally {
      await ch.stop();
      await app.store.close();
      await other.store.close();
      await api.stop();
    }
  }, 120_000);
});
