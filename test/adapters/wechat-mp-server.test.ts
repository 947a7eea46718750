import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackServer } from '../../adapters/wechat-callback/http.ts';
import { createOfficialAccountHandler } from '../../adapters/wechat-mp/server.ts';
import { menuKeyCommand, TEXT_ONLY } from '../../adapters/wechat-callback/menu.ts';
import { MORE_FOOTER } from '../../adapters/wechat-callback/pages.ts';
import { createLogger } from '../../src/logger.ts';
import type { Store } from '../../src/store/store.ts';
import { harness } from '../conversation/harness.ts';
import { until } from '../helpers.ts';
import { textMessage, WechatSide } from './wechat-callback/client.ts';

const TOKEN = 'policybotToken2026';
const APPID = 'wx5823bf96d3bd56c7';
const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const logger = createLogger('silent');

async function serve(aesKey?: string, pageSize = 1) {
  const h = await harness({ pageSize, ratePerMinute: 1000 });
  const active: string[] = [];
  const handler = createOfficialAccountHandler({
    token: TOKEN,
    appId: APPID,
    ...(aesKey ? { aesKey } : {}),
    conversation: h.conv,
    clock: h.clock,
    logger,
    onUserMessage: (id) => active.push(id),
  });
  const server = await startCallbackServer({ host: '127.0.0.1', port: 0, routes: { '/wechat': handler }, logger });
  return { ...h, server, active, side: new WechatSide(`${server.url}/wechat`, TOKEN, APPID, aesKey) };
}
type Served = Awaited<ReturnType<typeof serve>>;

describe('Official Account endpoint, plaintext mode', () => {
  let s: Served;
  let store: Store;
  beforeAll(async () => {
    s = await serve();
    store = s.store;
  });
  afterAll(() => s.server.stop());

  it('answers the URL verification with echostr, and 403 with a wrong signature', async () => {
    expect(await s.side.get(s.side.query({ echostr: 'echo-123' }))).toEqual({ status: 200, text: 'echo-123' });
    expect((await s.side.get(s.side.query({ echostr: 'echo-123', wrong: true }))).status).toBe(403);
    expect((await s.side.get(new URLSearchParams({ echostr: 'x' }))).status).toBe(403);
  });

  it('replies passively with the cited clause, to the sender, from the account', async () => {
    const r = await s.side.send(textMessage('o-alice', '新农合政府补助标准是多少钱'));
    expect(r.status).toBe(200);
    expect(r.reply!['ToUserName']).toBe('o-alice');
    expect(r.reply!['FromUserName']).toBe('gh_policybot');
    expect(r.reply!['MsgType']).toBe('text');
    expect(r.reply!['Content']).toContain('每人每年280元');
    expect(r.reply!['Content']).toContain('（川办发〔2013〕52号）');
    expect(s.active).toContain('o-alice');
  });

  it('refuses a wrong signature with 403 and never reaches the core', async () => {
    const asked = (await store.stats()).asked;
    const r = await s.side.send(textMessage('o-mallory', '新农合'), { wrong: true });
    expect(r.status).toBe(403);
    expect((await store.stats()).asked).toBe(asked);
  });

  it('answers a MsgId retried by WeChat once, with the same reply', async () => {
    const asked = (await store.stats()).asked;
    const m = textMessage('o-bob', '联席会议多久开一次会', '7000000000000000001');
    const [a, b] = await Promise.all([s.side.send(m), s.side.send(m)]);
    const c = await s.side.send(m);
    expect(a.reply!['Content']).toContain('每季度召开一次');
    expect(b.reply!['Content']).toBe(a.reply!['Content']);
    expect(c.reply!['Content']).toBe(a.reply!['Content']);
    expect((await store.stats()).asked).toBe(asked + 1);
  });

  it('follow: welcome and push subscription; unfollow: subscription ends, "success"', async () => {
    const r = await s.side.send({ ToUserName: 'gh_policybot', FromUserName: 'o-carol', CreateTime: 1_700_000_100, MsgType: 'event', Event: 'subscribe' });
    expect(r.reply!['Content']).toContain('我是政策问答机器人');
    expect(r.reply!['Content']).toContain('已订阅');
    expect((await store.subscribers()).find((x) => x.channel === 'wechat-mp' && x.chatId === 'o-carol')?.active).toBe(true);
    const u = await s.side.send({ ToUserName: 'gh_policybot', FromUserName: 'o-carol', CreateTime: 1_700_000_200, MsgType: 'event', Event: 'unsubscribe' });
    expect(u).toMatchObject({ status: 200, text: 'success' });
    expect((await store.subscribers()).find((x) => x.channel === 'wechat-mp' && x.chatId === 'o-carol')?.active).toBe(false);
  });

  it('answers non-text messages with a note and maps menu CLICK keys to commands', async () => {
    const img = await s.side.send({
      ToUserName: 'gh_policybot',
      FromUserName: 'o-dan',
      CreateTime: 1,
      MsgType: 'image',
      PicUrl: 'http://x/y.jpg',
      MsgId: '7000000000000000002',
    });
    expect(img.reply!['Content']).toBe(TEXT_ONLY);
    const latest = await s.side.send({
      ToUserName: 'gh_policybot',
      FromUserName: 'o-dan',
      CreateTime: 2,
      MsgType: 'event',
      Event: 'CLICK',
      EventKey: '最新一期',
    });
    expect(latest.reply!['Content']).toContain('最新一期：');
    const help = await s.side.send({ ToUserName: 'gh_policybot', FromUserName: 'o-dan', CreateTime: 3, MsgType: 'event', Event: 'CLICK', EventKey: 'HELP' });
    expect(help.reply!['Content']).toContain('命令：');
    const view = await s.side.send({
      ToUserName: 'gh_policybot',
      FromUserName: 'o-dan',
      CreateTime: 4,
      MsgType: 'event',
      Event: 'VIEW',
      EventKey: 'https://example.org',
    });
    expect(view.text).toBe('success');
    expect([menuKeyCommand('LATEST'), menuKeyCommand('帮助'), menuKeyCommand('whatever-1')]).toEqual(['/latest', '帮助', '/help']);
  });

  it('refuses bad XML with 400, oversized bodies with 413 and other paths with 404', async () => {
    expect((await s.side.postRaw(s.side.query(), '<xml><Content>unclosed</xml>')).status).toBe(400);
    expect((await s.side.postRaw(s.side.query(), '<!DOCTYPE x [<!ENTITY a "b">]><xml><A>&a;</A></xml>')).status).toBe(400);
    expect((await s.side.postRaw(s.side.query(), `<xml><Content>${'长'.repeat(40_000)}</Content></xml>`)).status).toBe(413);
    expect((await s.side.postRaw(s.side.query(), '<xml><MsgType>text</MsgType></xml>')).status).toBe(400);
    expect((await fetch(`${s.server.url}/other`)).status).toBe(404);
  });
});

describe('Official Account endpoint, long answers', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(undefined, 10);
  });
  afterAll(() => s.server.stop());

  it('cuts an answer over 2048 bytes at a clause boundary and serves the rest on 更多', async () => {
    const first = await s.side.send(textMessage('o-erin', '新农合'));
    const pages = [first.reply!['Content']!];
    while (pages.at(-1)!.endsWith(MORE_FOOTER)) pages.push((await s.side.send(textMessage('o-erin', '更多'))).reply!['Content']!);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
    // every page but the last ends with the footer right after a citation line (a whole clause)
    for (const p of pages.slice(0, -1)) expect(p).toMatch(new RegExp(`—— 《[^\\n]+\\n\\n${MORE_FOOTER}$`));
    expect(pages.join('')).toContain('每人每年280元');
  });
});

describe('Official Account endpoint, safe mode', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(AES);
  });
  afterAll(() => s.server.stop());

  it('decrypts the question and encrypts the signed reply', async () => {
    const r = await s.side.send(textMessage('o-frank', '新农合政府补助标准是多少钱'));
    expect(r.status).toBe(200);
    expect(r.text).toContain('<Encrypt>');
    expect(r.text).not.toContain('每人每年');
    expect(r.reply!['Content']).toContain('每人每年280元');
  });

  it('refuses plaintext, a wrong msg_signature and a message encrypted for another AppID', async () => {
    const plain = new WechatSide(s.side.url, TOKEN, APPID);
    expect((await plain.send(textMessage('o-x', '新农合'))).status).toBe(400);
    expect((await s.side.send(textMessage('o-x', '新农合'), { wrong: true })).status).toBe(403);
    const other = new WechatSide(s.side.url, TOKEN, 'wx0000000000000000', AES);
    expect((await other.send(textMessage('o-x', '新农合'))).status).toBe(403);
  });
});

describe('Official Account endpoint, slow answers', () => {
  it('answers "success" before WeChat’s 5 s and sends a late answer through the API instead', async () => {
    const h = await harness();
    const slow = {
      ...h.conv,
      handle: async (m: Parameters<typeof h.conv.handle>[0]) => {
        await new Promise((r) => setTimeout(r, 400));
        return h.conv.handle(m);
      },
    };
    const late: Array<{ user: string; text: string }> = [];
    const handler = createOfficialAccountHandler({
      token: TOKEN,
      appId: APPID,
      conversation: slow,
      clock: h.clock,
      logger,
      replyWithinMs: 100,
      onLateReply: (user, text) => late.push({ user, text }),
    });
    const server = await startCallbackServer({ host: '127.0.0.1', port: 0, routes: { '/wechat': handler }, logger });
    try {
      const side = new WechatSide(`${server.url}/wechat`, TOKEN, APPID);
      const t0 = Date.now();
      const r = await side.send(textMessage('o-gina', '新农合政府补助标准是多少钱'));
      expect(Date.now() - t0).toBeLessThan(400);
      expect(r.text).toBe('success');
      await until(() => late.length > 0, 5000);
      expect(late[0]!.user).toBe('o-gina');
      expect(late[0]!.text).toContain('每人每年280元');
    } finally {
      await server.stop();
    }
  });
});
