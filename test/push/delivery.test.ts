import { describe, expect, it } from 'vitest';
import { Telegraf } from 'telegraf';
import { createTelegramSender } from '../../adapters/telegram/sender.ts';
import { createManualClock } from '../../src/clock.ts';
import { runPushCycle } from '../../src/push/cycle.ts';
import { createPacer } from '../../src/push/pacer.ts';
import { runPool } from '../../src/push/pool.ts';
import { FakeBotApi } from '../adapters/fake-telegram.ts';
import { pushHarness, RecordingChannel } from './harness.ts';

describe('delivery semantics', () => {
  it('a message in several parts records each part: after an interruption only the missing parts go out', async () => {
    const h = await pushHarness();
    const ch = new RecordingChannel(h.clock);
    ch.parts = 3;
    await h.subscribe([{ chatId: '1' }, { chatId: '2' }]);
    await runPushCycle(h.deps({ telegram: ch }));
    await h.drop('mianyang-2013-14.md');
    ch.crashOnSend = 5; // chat 1: parts 0, 1, 2; chat 2: part 0, then part 1 fails
    const first = await runPushCycle(h.deps({ telegram: ch }, { concurrency: 1 }));
    expect(first.broadcasts[0]).toMatchObject({ sent: 1, retrying: 1, announced: false });
    ch.crashOnSend = undefined;
    h.clock.advance(60_000);
    await h.reopen();
    expect((await runPushCycle(h.deps({ telegram: ch }))).broadcasts[0]).toMatchObject({ sent: 1, announced: true });
    expect(ch.delivered.map((d) => `${d.chatId}#${d.part}`)).toEqual(['1#0', '1#1', '1#2', '2#0', '2#1', '2#2']);
  });

  it('an API that accepts the connection and never answers: the request times out, the delivery stays pending', async () => {
    const h = await pushHarness();
    const api = new FakeBotApi();
    const root = await api.start();
    api.onRequest = () => 'hang';
    try {
      const sender = createTelegramSender(new Telegraf('1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA', { telegram: { apiRoot: root } }).telegram, h.clock, {
        timeoutMs: 200,
        retry: { attempts: 2, baseDelayMs: 1000, maxDelayMs: 1000 },
      });
      await h.subscribe([{ chatId: '1' }, { chatId: '2' }]);
      await runPushCycle(h.deps({ telegram: sender }));
      await h.drop('mianyang-2013-14.md');
      const r = await runPushCycle(h.deps({ telegram: sender }, { concurrency: 1 }));
      expect(r.broadcasts[0]).toMatchObject({ sent: 0, retrying: 1, announced: false, pendingByChannel: { telegram: 2 } });
      expect(r.broadcasts[0]!.stoppedBy).toMatch(/gave up after 2 attempts: Bot API sendMessage timed out after 200 ms/);
      expect(api.of('sendMessage')).toHaveLength(2);
      expect(h.clock.slept).toBeGreaterThanOrEqual(1000); // the backoff between the two attempts, on the injected clock
    } finally {
      await api.stop();
    }
  });

  it('sends concurrently up to the pacing limit, on the injected clock: 100 messages at 300 ms latency take 4 s, not 34 s', async () => {
    const clock = createManualClock();
    const pacer = createPacer(clock, 25, 1000);
    const sentAt: number[] = [];
    const t0 = clock.now();
    await runPool(
      Array.from({ length: 100 }, (_, i) => String(i)),
      8,
      async (chatId) => {
        await pacer.wait(chatId);
        sentAt.push(clock.now());
        await clock.sleep(300); // the request's latency
      },
    );
    const elapsed = clock.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(99 * 40);
    expect(elapsed).toBeLessThanOrEqual(99 * 40 + 300 + 1);
    // never more than 25 sends in any one-second window
    sentAt.sort((a, b) => a - b);
    for (let i = 0; i < sentAt.length; i++) expect(sentAt.filter((t) => t >= sentAt[i]! && t < sentAt[i]! + 1000).length).toBeLessThanOrEqual(25);
    // one at a time, the same 100 messages need 100 × (40 + 300) ms
    const serial = createManualClock();
    const p1 = createPacer(serial, 25, 1000);
    const s0 = serial.now();
    await runPool(
      Array.from({ length: 100 }, (_, i) => String(i)),
      1,
      async (chatId) => {
        await p1.wait(chatId);
        await serial.sleep(300);
      },
    );
    expect(serial.now() - s0).toBeGreaterThanOrEqual(100 * 300);
  });

  it('the per-chat interval holds with concurrent senders, without holding up other chats', async () => {
    const clock = createManualClock();
    const pacer = createPacer(clock, 25, 1000);
    const at: Record<string, number[]> = {};
    const t0 = clock.now();
    await Promise.all(
      ['a', 'a', 'a', 'b', 'c', 'd'].map(async (chat) => {
        await pacer.wait(chat);
        (at[chat] ??= []).push(clock.now() - t0);
      }),
    );
    expect(at.a).toEqual([0, 1000, 2000]);
    expect([...at.b!, ...at.c!, ...at.d!].every((t) => t < 200)).toBe(true);
  });
});
