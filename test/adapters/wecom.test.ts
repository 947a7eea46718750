import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatApiClient } from '../../adapters/wechat-callback/api.ts';
import { WechatCipher } from '../../adapters/wechat-callback/cipher.ts';
import { startCallbackServer } from '../../adapters/wechat-callback/http.ts';
import { createWecomHandler } from '../../adapters/wecom/server.ts';
import { createWecomSender } from '../../adapters/wecom/sender.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';
import { noPacing } from '../../src/push/pacer.ts';
import type { PermanentSendError } from '../../src/push/sender.ts';
import { harness } from '../conversation/harness.ts';
import { FakeWechatApi } from './fake-wechat-api.ts';
import { textMessage, WechatSide } from './wechat-callback/client.ts';

const CORP = 'ww1234567890abcdef';
const AGENT = 1000002;
const TOKEN = 'wecomToken42';
const AES = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const SECRET = 'corpSecret-0123456789abcdefghijklmnop';
const logger = createLogger('silent');

describe('WeCom app channel', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let server: Awaited<ReturnType<typeof startCallbackServer>>;
  let side: WechatSide;
  const staff = (fields: Record<string, string | number>) => ({ ...fields, ToUserName: CORP, AgentID: AGENT });
  beforeAll(async () => {
    h = await harness({ admins: ['wecom:zhangsan'], ratePerMinute: 1000 });
    const handler = createWecomHandler({ token: TOKEN, aesKey: AES, corpId: CORP, agentId: AGENT, conversation: h.conv, clock: h.clock, logger });
    server = await startCallbackServer({ host: '127.0.0.1', port: 0, routes: { '/wecom': handler }, logger });
    side = new WechatSide(`${server.url}/wecom`, TOKEN, CORP, AES, 'wecom');
  });
  afterAll(() => server.stop());

  it('verifies the callback URL by decrypting echostr; refuses a wrong signature or another CorpID', async () => {
    const echostr = side.cipher!.encrypt('8765309123');
    expect(await side.get(side.query({ echostr }))).toEqual({ status: 200, text: '8765309123' });
    expect((await side.get(side.query({ echostr, wrong: true }))).status).toBe(403);
    const foreign = new WechatCipher(AES, 'wwotherCorp000000').encrypt('1');
    expect((await side.get(side.query({ echostr: foreign }))).status).toBe(403);
  });

  it('answers staff questions and /cite with an encrypted passive reply', async () => {
    const r = await side.send(staff(textMessage('lisi', '/cite 川办发〔2013〕52号 第十四条')));
    expect(r.status).toBe(200);
    expect(r.text).toContain('<Encrypt>');
    expect(r.reply!['ToUserName']).toBe('lisi');
    expect(r.reply!['FromUserName']).toBe(CORP);
    expect(r.reply!['Content']).toContain('（川办发〔2013〕52号）');
  });

  it('shows /stats to admins listed as wecom:<UserID> only', async () => {
    expect((await side.send(staff(textMessage('zhangsan', '/stats')))).reply!['Content']).toContain('统计：');
    expect((await side.send(staff(textMessage('lisi', '/stats')))).reply!['Content']).toContain('仅限管理员');
  });

  it('refuses plaintext, wrong signatures, other CorpIDs and other apps', async () => {
    expect((await side.postRaw(side.query(), '<xml><ToUserName>x</ToUserName><MsgType>text</MsgType></xml>')).status).toBe(400);
    expect((await side.send(staff(textMessage('lisi', '新农合')), { wrong: true })).status).toBe(403);
    const foreign = new WechatSide(side.url, TOKEN, 'wwotherCorp000000', AES, 'wecom');
    expect((await foreign.send(staff(textMessage('lisi', '新农合')))).status).toBe(403);
    expect((await side.send({ ...textMessage('lisi', '新农合'), ToUserName: CORP, AgentID: 999 })).status).toBe(403);
  });

  it('answers non-text messages with a note', async () => {
    const r = await side.send(staff({ FromUserName: 'lisi', CreateTime: 5, MsgType: 'voice', MediaId: 'm', MsgId: '7100000000000000001' }));
    expect(r.reply!['Content']).toBe('暂只支持文字提问。');
  });
});

describe('WeCom push (message/send)', () => {
  const api = new FakeWechatApi({ corpId: CORP, corpSecret: SECRET });
  let root: string;
  beforeAll(async () => {
    root = await api.start();
  });
  afterAll(() => api.stop());

  it('sends through message/send with the agent id, refreshes an expired token, ends unknown users', async () => {
    const h = await harness();
    const client = new WechatApiClient({ root, tokenPath: `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`, secrets: [SECRET], clock: h.clock });
    const sender = createWecomSender({ api: client, agentId: AGENT, clock: h.clock, logger, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
    await sender.sendReply('lisi', { blocks: [{ kind: 'text', text: '新一期公报' }], actions: [] }, noPacing);
    expect(api.to('/cgi-bin/message/send')[0]!.body).toEqual({ touser: 'lisi', msgtype: 'text', agentid: AGENT, text: { content: '新一期公报' } });
    api.expireTokens();
    await sender.sendReply('lisi', { blocks: [{ kind: 'text', text: '第二条' }], actions: [] }, noPacing);
    expect(client.tokensFetched).toBe(2);
    api.fail('/cgi-bin/message/send', { errcode: 81013, errmsg: 'user & party & tag all invalid' });
    const e = await sender.sendReply('nobody', { blocks: [{ kind: 'text', text: 'x' }], actions: [] }, noPacing).catch((x: unknown) => x);
    expect((e as PermanentSendError).reason).toBe('chat-not-found');
  });

  it('an API that accepts the request and never answers (or never ends its body): the send times out with CHANNEL_TIMEOUT', async () => {
    const h = await harness();
    const silent = createServer((req, res) => {
      if (req.url?.startsWith('/cgi-bin/gettoken'))
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-1', expires_in: 7200 }));
      else if (req.url?.startsWith('/cgi-bin/message/send')) res.writeHead(200, { 'content-type': 'application/json' }).write('{"errcode"');
      // anything else: accepted, never answered
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const client = new WechatApiClient({
        root: at,
        tokenPath: `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`,
        secrets: [SECRET],
        clock: h.clock,
        timeoutMs: 200,
      });
      const t0 = Date.now();
      const half = await client.post('/cgi-bin/message/send', {}).catch((x: unknown) => x);
      expect(isPolicyBotError(half, 'CHANNEL_TIMEOUT')).toBe(true);
      expect((half as Error).message).toBe('WeChat API /cgi-bin/message/send timed out after 200 ms');
      const none = await client.post('/cgi-bin/menu/create', {}).catch((x: unknown) => x);
      expect(isPolicyBotError(none, 'CHANNEL_TIMEOUT')).toBe(true);
      expect((none as Error).message).not.toContain('tok-1');
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
