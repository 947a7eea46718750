import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatApiClient } from '../../adapters/wechat-callback/api.ts';
import { createOfficialAccountSender } from '../../adapters/wechat-mp/sender.ts';
import { OfficialAccountState, SERVICE_WINDOW_MS } from '../../adapters/wechat-mp/state.ts';
import { createManualClock } from '../../src/clock.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';
import { noPacing } from '../../src/push/pacer.ts';
import { PermanentSendError, TemporarySendError } from '../../src/push/sender.ts';
import { tempDataDir } from '../helpers.ts';
import { FakeWechatApi } from './fake-wechat-api.ts';

const APPID = 'wx5823bf96d3bd56c7';
const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const reply = (t: string): Reply => ({ blocks: [{ kind: 'text', text: t }], actions: [] });

describe('Official Account push (customer-service messages)', () => {
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
    const file = join(await tempDataDir(false), 'state', 'wechat-mp.json');
    const state = await OfficialAccountState.open(file, clock);
    const client = new WechatApiClient({ root, tokenPath: `/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`, secrets: [SECRET], clock });
    const sender = createOfficialAccountSender({ api: client, state, clock, logger, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });
    return { clock, file, state, client, sender };
  }

  it('sends within 48 hours of the last message, fetching the access token once', async () => {
    const { state, client, sender } = await setup();
    await state.touch('o-alice');
    const before = api.to('/cgi-bin/message/custom/send').length;
    await sender.sendReply('o-alice', reply('新一期公报：第一条'), noPacing);
    await sender.sendReply('o-alice', reply('新一期公报：第二条'), noPacing);
    const sent = api.to('/cgi-bin/message/custom/send').slice(before);
    expect(sent.map((c) => c.body)).toEqual([
      { touser: 'o-alice', msgtype: 'text', text: { content: '新一期公报：第一条' } },
      { touser: 'o-alice', msgtype: 'text', text: { content: '新一期公报：第二条' } },
    ]);
    expect(client.tokensFetched).toBe(1);
  });

  it('on 40001 (expired token) fetches a new token and retries once', async () => {
    const { state, client, sender } = await setup();
    await state.touch('o-bob');
    await sender.sendReply('o-bob', reply('一'), noPacing);
    api.expireTokens();
    await sender.sendReply('o-bob', reply('二'), noPacing);
    expect(client.tokensFetched).toBe(2);
    const last = api.to('/cgi-bin/message/custom/send').slice(-2);
    expect(last.map((c) => c.query['access_token'])).toEqual([api.issued.at(-2), api.issued.at(-1)]);
    // a token that stays invalid fails for good instead of looping
    api.fail('/cgi-bin/message/custom/send', { errcode: 40001 }, { errcode: 40001 });
    await expect(sender.sendReply('o-bob', reply('三'), noPacing)).rejects.toBeInstanceOf(PermanentSendError);
  });

  it('keeps a push pending outside the window (known, or 45015 from WeChat) and sends it when the user writes', async () => {
    const { clock, file, state, sender } = await setup();
    const calls = () => api.to('/cgi-bin/message/custom/send').filter((c) => (c.body as { touser: string }).touser === 'o-carol').length;
    await sender.sendReply('o-carol', reply('从未发过消息'), noPacing);
    expect(calls()).toBe(0);
    expect(state.pendingCount('o-carol')).toBe(1);
    await state.touch('o-carol');
    clock.advance(SERVICE_WINDOW_MS);
    await sender.sendReply('o-carol', reply('窗口已过'), noPacing);
    expect(calls()).toBe(0);
    await state.touch('o-carol');
    api.fail('/cgi-bin/message/custom/send', { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' });
    await sender.sendReply('o-carol', reply('微信说超时'), noPacing);
    expect(state.pendingCount('o-carol')).toBe(3);
    // persisted: a restart keeps the queue
    const reopened = await OfficialAccountState.open(file, clock);
    expect(reopened.pendingCount('o-carol')).toBe(3);
    expect(await sender.flush('o-carol')).toBe(3);
    expect(state.pendingCount('o-carol')).toBe(0);
    const contents = api.to('/cgi-bin/message/custom/send').filter((c) => (c.body as { touser: string }).touser === 'o-carol').map((c) => (c.body as { text: { content: string } }).text.content);
    expect(contents.slice(-3)).toEqual(['从未发过消息', '窗口已过', '微信说超时']);
  });

  it('keeps pending pushes when a flush fails for a passing reason', async () => {
    const { state, sender } = await setup();
    await sender.sendReply('o-hank', reply('一'), noPacing);
    await sender.sendReply('o-hank', reply('二'), noPacing);
    await state.touch('o-hank');
    api.fail('/cgi-bin/message/custom/send', { errcode: 45009, errmsg: 'reach max api daily quota limit' }, { errcode: 45009 }, { errcode: 45009 });
    await expect(sender.flush('o-hank')).rejects.toBeInstanceOf(TemporarySendError);
    expect(state.pendingCount('o-hank')).toBe(2);
    expect(await sender.flush('o-hank')).toBe(2);
  });

  it('marks an unfollowed user (43004) as blocked, retries system errors (-1)', async () => {
    const { state, sender } = await setup();
    await state.touch('o-dan');
    api.fail('/cgi-bin/message/custom/send', { errcode: -1, errmsg: 'system error' });
    await sender.sendReply('o-dan', reply('重试后送达'), noPacing);
    api.fail('/cgi-bin/message/custom/send', { errcode: 43004, errmsg: 'require subscribe' });
    const e = await sender.sendReply('o-dan', reply('x'), noPacing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermanentSendError);
    expect((e as PermanentSendError).reason).toBe('blocked');
  });

  it('never logs the access token or the AppSecret', async () => {
    const joined = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const t of api.issued) expect(joined).not.toContain(t);
    expect(joined).not.toContain(SECRET);
  });

  it('stops on a corrupt state file instead of resetting it', async () => {
    const { file, state, clock } = await setup();
    await state.touch('o-x');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{"version":99}');
    const e = await OfficialAccountState.open(file, clock).catch((x: unknown) => x);
    expect(isPolicyBotError(e, 'STORE_CORRUPT')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"version":99}');
  });
});
