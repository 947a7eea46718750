import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WechatyBuilder, types, type Wechaty } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatAdapter, ROOM_PREFIX } from '../../adapters/wechat/bot.ts';
import { superviseWechaty } from '../../adapters/wechat/supervise.ts';
import { createManualClock } from '../../src/clock.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { createLogger } from '../../src/logger.ts';
import { broadcast } from '../../src/push/broadcast.ts';
import { createIssueComposer } from '../../src/push/compose.ts';
import { createPacer, noPacing } from '../../src/push/pacer.ts';
import { TemporarySendError } from '../../src/push/sender.ts';
import { isPolicyBotError } from '../../src/errors.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { harness } from '../conversation/harness.ts';
import { lineSink, FIXTURES, until } from '../helpers.ts';
import { textTools } from '../search/fixtures.ts';

type Said = { from: string; text: string };
let wechaty: Wechaty | undefined;

afterEach(async () => {
  await wechaty?.stop();
  wechaty = undefined;
});

/** puppet-mock whose send and payload calls can be made to never answer, like a puppet whose server went silent. */
class StallingPuppet extends PuppetMock {
  readonly stalled = new Set<'send' | 'contact' | 'room'>();
  private stall<T>(what: 'send' | 'contact' | 'room', call: () => Promise<T>): Promise<T> {
    return this.stalled.has(what) ? new Promise<T>(() => undefined) : call();
  }
  override messageSendText(conversationId: string, text: string): Promise<void> {
    return this.stall('send', () => super.messageSendText(conversationId, text));
  }
  override contactRawPayload(id: string) {
    return this.stall('contact', () => super.contactRawPayload(id));
  }
  override roomRawPayload(id: string) {
    return this.stall('room', () => super.roomRawPayload(id));
  }
}

async function boot(o: Pick<Parameters<typeof createWechatAdapter>[0], 'timeoutMs' | 'retry'> = {}) {
  const h = await harness();
  const mocker = new mock.Mocker();
  const puppet = new StallingPuppet({ mocker });
  wechaty = WechatyBuilder.build({ puppet });
  const logs: string[] = [];
  const logger = createLogger('debug', [], lineSink(logs));
  const clock = createManualClock(Date.now());
  const adapter = createWechatAdapter({ wechaty, conversation: h.conv, clock, logger, ...o });
  await wechaty.start();
  const user = mocker.createContact({ name: 'PolicyBot' });
  mocker.login(user);
  await new Promise((r) => setTimeout(r, 50));
  const alice = mocker.createContact({ name: 'Alice' });
  const bob = mocker.createContact({ name: 'Bob' });
  const room = mocker.createRoom({ topic: '政策学习群', memberIdList: [user.id, alice.id, bob.id] });
  // what the bot says to Alice and in the room
  const toAlice: Said[] = [];
  const inRoom: Said[] = [];
  (alice as unknown as EventEmitter).on('message', (m: mock.MessageMock) => {
    if (m.talker().id === user.id && !m.room()) toAlice.push({ from: m.talker().id, text: m.text() ?? '' });
  });
  (room as unknown as EventEmitter).on('message', (m: mock.MessageMock) => {
    if (m.talker().id === user.id) inRoom.push({ from: m.talker().id, text: m.text() ?? '' });
  });
  return { h, mocker, puppet, adapter, user, alice, bob, room, toAlice, inRoom, logs, clock };
}

describe('WeChat adapter with a real Wechaty on wechaty-puppet-mock', () => {
  it('answers a private question with the clause and its citation line, and pages with 更多', async () => {
    const { alice, user, toAlice } = await boot();
    alice.say('新农合政府补助标准是多少钱').to(user);
    await until(() => toAlice.length >= 1);
    expect(toAlice[0]!.text).toContain('每人每年280元');
    expect(toAlice[0]!.text).toContain('—— 《四川省人民政府办公厅关于印发四川省深化医药卫生体制改革2013年主要工作安排的通知》（川办发〔2013〕52号）一、（一）');
    expect(toAlice[0]!.text).toMatch(/回复“更多”查看/);
    expect(toAlice[0]!.text).not.toMatch(/<[a-z]/);
    alice.say('更多').to(user);
    await until(() => toAlice.length >= 2);
    expect(toAlice[1]!.text).not.toBe(toAlice[0]!.text);
    expect(toAlice[1]!.text).toContain('（川办发〔2013〕52号）');
  });

  it('answers in a room only when @mentioned, with the mention stripped', async () => {
    const { alice, user, room, inRoom } = await boot();
    alice.say('新农合补助标准是多少').to(room);
    await new Promise((r) => setTimeout(r, 200));
    expect(inRoom).toEqual([]);
    alice.say('@PolicyBot 联席会议多久开一次会', [user]).to(room);
    await until(() => inRoom.length >= 1);
    expect(inRoom[0]!.text).toContain('每季度召开一次');
  });

  it('ignores its own messages and messages from before start-up; answers non-text with a short note', async () => {
    const { alice, user, toAlice, mocker, puppet } = await boot();
    user.say('新农合').to(alice); // the bot's own message
    const old = mocker.MessageMock.create({
      id: 'old-1',
      talkerId: alice.id,
      listenerId: user.id,
      timestamp: Date.now() - 3_600_000,
      type: types.Message.Text,
      text: '新农合',
    });
    puppet.emit('message', { messageId: old.id });
    await new Promise((r) => setTimeout(r, 200));
    expect(toAlice).toHaveLength(1); // only the bot's own "新农合"
    const img = mocker.MessageMock.create({ id: 'img-1', talkerId: alice.id, listenerId: user.id, timestamp: Date.now(), type: types.Message.Image });
    puppet.emit('message', { messageId: img.id });
    await until(() => toAlice.length >= 2);
    expect(toAlice[1]!.text).toBe('暂只支持文字提问。');
  });

  it('subscribes a contact and a room, then pushes a new issue to both', async () => {
    const { alice, user, room, toAlice, inRoom, adapter, h, clock } = await boot();
    alice.say('订阅 医保').to(user);
    alice.say('@PolicyBot 订阅', [user]).to(room);
    await until(() => toAlice.length >= 1 && inRoom.length >= 1);
    expect((await h.store.subscribers()).map((s) => [s.channel, s.chatId.startsWith(ROOM_PREFIX), s.topics])).toEqual([
      ['wechat', false, ['医保']],
      ['wechat', true, []],
    ]);
    const parsed = parseBulletin(readFileSync(join(FIXTURES, 'mianyang-2013-14.md'), 'utf8'));
    const file = { ...parsed, file: '14.md', hash: 'h' };
    const r = await broadcast('issue:14', createIssueComposer(file, textTools()), {
      store: h.store,
      senders: { wechat: adapter.sender },
      pacers: { wechat: createPacer(clock, 1 / 3, 3000) },
      clock,
      logger: createLogger('silent'),
    });
    expect(r).toMatchObject({ sent: 2, failed: 0 });
    await until(() => toAlice.length >= 2 && inRoom.length >= 2);
    expect(toAlice[1]!.text).toContain('与“医保”相关');
    expect(toAlice[1]!.text).toContain('（绵府发〔2013〕21号）');
    expect(inRoom[1]!.text).toContain('新一期：绵阳市人民政府公报 2013年第14号');
    expect(clock.slept).toBeGreaterThanOrEqual(3000);
  });

  it('a push to a contact that is gone fails permanently without stopping the others', async () => {
    const { adapter, alice, toAlice, h, clock } = await boot();
    for (const chatId of ['nobody-here', alice.id])
      await h.store.subscribe({ channel: 'wechat', chatId, isGroup: false, topics: [] }, new Date(clock.now()).toISOString());
    const parsed = parseBulletin(readFileSync(join(FIXTURES, 'mianyang-2013-14.md'), 'utf8'));
    const r = await broadcast('issue:14', createIssueComposer({ ...parsed, file: '14.md', hash: 'h' }, textTools()), {
      store: h.store,
      senders: { wechat: adapter.sender },
      clock,
      logger: createLogger('silent'),
    });
    expect(r).toMatchObject({ sent: 1, failed: 1 });
    await until(() => toAlice.length >= 1);
    expect((await h.store.subscriber({ channel: 'wechat', chatId: 'nobody-here' }))!.active).toBe(false);
  });

  it('say, Contact.find and Room.find that never answer time out: the send fails temporarily with CHANNEL_TIMEOUT, the next one goes out', async () => {
    const { adapter, puppet, mocker, user, alice, toAlice } = await boot({ timeoutMs: 200, retry: { attempts: 2, baseDelayMs: 1000, maxDelayMs: 1000 } });
    const reply: Reply = { blocks: [{ kind: 'text', text: '你好' }], actions: [] };
    const carol = mocker.createContact({ name: 'Carol' });
    const room2 = mocker.createRoom({ topic: '另一个群', memberIdList: [user.id, alice.id, carol.id] });
    for (const [stall, chatId, what] of [
      ['send', alice.id, 'say'],
      ['contact', carol.id, 'Contact.find'],
      ['room', `${ROOM_PREFIX}${room2.id}`, 'Room.find'],
    ] as const) {
      puppet.stalled.clear();
      puppet.stalled.add(stall);
      const t0 = Date.now();
      const e = await adapter.sender.sendReply(chatId, reply, noPacing).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, what).toBeInstanceOf(TemporarySendError);
      expect((e as Error).message).toBe(`gave up after 2 attempts: WeChat ${what} timed out after 200 ms`);
      expect(isPolicyBotError((e as Error).cause, 'CHANNEL_TIMEOUT'), what).toBe(true);
      expect(Date.now() - t0, what).toBeLessThan(3000);
    }
    puppet.stalled.clear();
    await adapter.sender.sendReply(alice.id, reply, noPacing);
    await until(() => toAlice.some((m) => m.text === '你好'));
  });

  it('a reply that cannot be said: the message handler gives up after the timeout and logs it', async () => {
    const { puppet, alice, user, logs } = await boot({ timeoutMs: 200, retry: { attempts: 2, baseDelayMs: 1000, maxDelayMs: 1000 } });
    puppet.stalled.add('send');
    alice.say('新农合政府补助标准是多少钱').to(user);
    await until(() => logs.join('').includes('wechat message failed: gave up after 2 attempts: WeChat say timed out after 200 ms'), 5000);
  });

  it('restarts with backoff after a logout and logs it', async () => {
    const { mocker, user, logs, clock } = await boot();
    superviseWechaty(wechaty!, clock, createLogger('info', [], lineSink(logs)), [], new Writable({ write: (_c, _e, cb) => cb() }));
    await wechaty!.logout();
    await until(() => logs.join('').includes('restarting in 1000 ms'));
    await until(() => clock.slept >= 1000);
    await until(() => wechaty!.isLoggedIn || logs.join('').includes('restart failed'), 5000).catch(() => undefined);
    expect(logs.join('')).toMatch(/logged out/);
    void mocker;
    void user;
  });
});
