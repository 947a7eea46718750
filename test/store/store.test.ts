import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file-store.ts';
import { openPgStore } from '../../src/store/pg-store.ts';
import { SESSION_TTL_MS } from '../../src/store/schema.ts';
import type { ClaimRequest, Store } from '../../src/store/store.ts';
import { startPg, type PgServer } from './pg-server.ts';

/** A place holding store data that several handles (standing for processes) can open. */
type Place = () => Promise<Store>;

let server: PgServer | undefined;
beforeAll(async () => {
  server = await startPg();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const implementations: Array<[string, () => Promise<Place>]> = [
  [
    'file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'policybot-store-'));
      return () => openFileStore(dir);
    },
  ],
  [
    'postgres',
    async () => {
      const url = await server!.newDatabase();
      return () => openPgStore(url);
    },
  ],
];

const T0 = Date.UTC(2026, 0, 1);
const at = (ms = 0): string => new Date(T0 + ms).toISOString();
const req = (owner: string, over: Partial<ClaimRequest> = {}): ClaimRequest => ({
  owner,
  channels: ['telegram', 'wechat'],
  limit: 100,
  now: T0,
  leaseMs: 60_000,
  ...over,
});
const targets = (n: number, channel = 'telegram') =>
  Array.from({ length: n }, (_, i) => ({ channel, chatId: String(1000 + i), topics: i % 2 ? ['医保'] : [] }));

describe.each(implementations)('the %s store (one shared suite)', (_name, make) => {
  it('keeps subscribers across handles and reopening; deactivation says whether it changed anything', async () => {
    const place = await make();
    const a = await place();
    const b = await place();
    await a.subscribe({ channel: 'telegram', chatId: '42', isGroup: false, topics: ['医保'] }, at());
    await b.subscribe({ channel: 'wechat', chatId: 'w1', isGroup: true, topics: [] }, at(1));
    expect((await a.subscribers()).map((s) => `${s.channel}:${s.chatId}`).sort()).toEqual(['telegram:42', 'wechat:w1']);
    expect(await b.deactivate({ channel: 'telegram', chatId: '42' }, 'unsubscribed', at(2))).toBe(true);
    expect(await a.deactivate({ channel: 'telegram', chatId: '42' }, 'unsubscribed', at(3))).toBe(false);
    expect(await a.subscriber({ channel: 'telegram', chatId: '42' })).toMatchObject({ active: false, inactiveReason: 'unsubscribed', topics: ['医保'] });
    await a.subscribe({ channel: 'telegram', chatId: '42', isGroup: false, topics: ['住房'] }, at(4));
    await a.close();
    await b.close();
    const c = await place();
    const s = await c.subscriber({ channel: 'telegram', chatId: '42' });
    expect(s).toMatchObject({ active: true, topics: ['住房'], createdAt: at() });
    expect(s!.inactiveReason).toBeUndefined();
    await c.close();
  });

  it('interleaved writes from two handles never erase each other', async () => {
    const place = await make();
    const [a, b] = [await place(), await place()];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        Promise.all([
          (i % 2 ? a : b).subscribe({ channel: 'telegram', chatId: `c${i}`, isGroup: false, topics: [] }, at(i)),
          (i % 2 ? b : a).recordQuestion({ query: `问题${i % 3}`, key: `问题${i % 3}`, answered: i % 3 === 0 }, at(i)),
        ]),
      ),
    );
    const c = await place();
    expect((await c.subscribers()).length).toBe(40);
    const st = await c.stats();
    expect(st.asked).toBe(40);
    expect(st.answered).toBe(14);
    expect(st.unanswered.map((u) => [u.query, u.count]).sort()).toEqual([
      ['问题1', 13],
      ['问题2', 13],
    ]);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('sessions: set, read, delete, and expire after the TTL', async () => {
    const place = await make();
    const s = await place();
    await s.setSession('telegram:1', { query: '医保', shown: 1, lastClauseId: 'x:1', at: at() });
    expect(await s.session('telegram:1', T0 + 1000)).toMatchObject({ query: '医保', shown: 1 });
    expect(await s.session('telegram:1', T0 + SESSION_TTL_MS + 1)).toBeUndefined();
    await s.setSession('telegram:1', null);
    expect(await s.session('telegram:1', T0)).toBeUndefined();
    await s.addFeedback({ channel: 'telegram', chatId: '1', userId: 'u', query: '医保', clauseId: 'x:1', useful: true, at: at() });
    await s.addFeedback({ channel: 'telegram', chatId: '1', userId: 'u', query: '医保', clauseId: 'x:1', useful: false, at: at() });
    expect(await s.stats()).toMatchObject({ feedback: 2, useful: 1 });
    await s.close();
  });

  it('lists feedback newest first, by kind, within the limit, from another handle too', async () => {
    const place = await make();
    const a = await place();
    const b = await place();
    for (let i = 0; i < 5; i++)
      await a.addFeedback({ channel: 'telegram', chatId: '1', userId: 'u', query: `问题${i}`, clauseId: `x:${i}`, useful: i % 2 === 0, at: at(i * 1000) });
    expect((await b.feedback({ limit: 10 })).map((f) => f.query)).toEqual(['问题4', '问题3', '问题2', '问题1', '问题0']);
    expect((await b.feedback({ useful: false, limit: 10 })).map((f) => f.query)).toEqual(['问题3', '问题1']);
    expect(await b.feedback({ useful: true, limit: 2 })).toEqual([
      { channel: 'telegram', chatId: '1', userId: 'u', query: '问题4', clauseId: 'x:4', useful: true, at: at(4000) },
      { channel: 'telegram', chatId: '1', userId: 'u', query: '问题2', clauseId: 'x:2', useful: true, at: at(2000) },
    ]);
    await a.close();
    await b.close();
  });

  it('enqueue is idempotent; two workers claiming at once never get the same delivery', async () => {
    const place = await make();
    const [a, b] = [await place(), await place()];
    expect(await a.enqueue('issue-1', targets(60), at())).toBe(60);
    expect(await b.enqueue('issue-1', targets(61), at())).toBe(1);
    const got: string[] = [];
    const work = async (s: Store, owner: string): Promise<void> => {
      for (;;) {
        const batch = await s.claim('issue-1', req(owner, { limit: 7 }));
        if (batch.length === 0) return;
        for (const d of batch) {
          got.push(d.chatId);
          await s.finish(d, { status: 'sent' }, at(5));
        }
      }
    };
    await Promise.all([work(a, 'h:1:a'), work(b, 'h:2:b')]);
    expect(got.length).toBe(61);
    expect(new Set(got).size).toBe(61);
    expect(await a.progress('issue-1')).toMatchObject({ pending: 0, claimed: 0, sent: 61, failed: 0 });
    expect(await a.announceIfDone('issue-1', at(6))).toBe(true);
    expect(await b.announced()).toContain('issue-1');
    expect(await b.enqueue('issue-1', targets(70), at(7))).toBe(0);
    expect((await a.announcements()).find((x) => x.issueKey === 'issue-1')).toMatchObject({ sent: 61, failed: 0 });
    await Promise.all([a.close(), b.close()]);
  });

  it('a claim holds until its lease runs out; recorded parts survive the take-over', async () => {
    const place = await make();
    const s = await place();
    await s.enqueue('issue-2', targets(1), at());
    const [d] = await s.claim('issue-2', req('otherhost:1:x'));
    await s.recordParts(d!, 2, T0 + 60_000, at(1));
    expect(await s.claim('issue-2', req('otherhost:2:y', { now: T0 + 30_000 }))).toEqual([]);
    expect(await s.progress('issue-2')).toMatchObject({ claimed: 1, openByChannel: { telegram: 1 } });
    expect(await s.announceIfDone('issue-2', at(2))).toBe(false);
    const [again] = await s.claim('issue-2', req('otherhost:2:y', { now: T0 + 60_001 }));
    expect(again).toMatchObject({ chatId: '1000', partsDone: 2, owner: 'otherhost:2:y' });
    // the first worker wakes up late: its outcome no longer counts
    await s.finish(d!, { status: 'failed', error: 'late' }, at(3));
    expect(await s.progress('issue-2')).toMatchObject({ claimed: 1, failed: 0 });
    await s.finish(again!, { status: 'sent' }, at(4));
    expect(await s.progress('issue-2')).toMatchObject({ claimed: 0, sent: 1 });
    await s.close();
  });

  it('a temporary failure is pending again, not before its backoff; only running channels are claimed', async () => {
    const place = await make();
    const s = await place();
    await s.enqueue('issue-3', [...targets(2), ...targets(1, 'wechat')], at());
    const batch = await s.claim('issue-3', req('h:1:a', { channels: ['telegram'] }));
    expect(batch.map((d) => d.channel)).toEqual(['telegram', 'telegram']);
    await s.finish(batch[0]!, { status: 'retry', error: '502', nextAttemptAt: T0 + 60_000 }, at(1));
    await s.finish(batch[1]!, { status: 'failed', error: 'blocked' }, at(1));
    expect(await s.claim('issue-3', req('h:1:a', { channels: ['telegram'], now: T0 + 1000 }))).toEqual([]);
    const later = await s.claim('issue-3', req('h:1:a', { channels: ['telegram'], now: T0 + 60_000 }));
    expect(later).toMatchObject([{ chatId: '1000', attempts: 1 }]);
    await s.release(later, at(2));
    expect(await s.progress('issue-3')).toEqual({ pending: 2, claimed: 0, sent: 0, failed: 1, openByChannel: { telegram: 1, wechat: 1 } });
    expect(await s.announceIfDone('issue-3', at(3))).toBe(false);
    await s.close();
  });

  it('when a chat last wrote is shared by every handle; an earlier time never moves it back', async () => {
    const place = await make();
    const a = await place();
    const b = await place();
    const ref = { channel: 'wechat-mp', chatId: 'o-1' };
    // recent times: reopening drops what is older than SESSION_TTL_MS
    const t = Date.now() - 3600_000;
    expect(await a.lastInbound(ref)).toBeUndefined();
    await a.noteInbound(ref, t);
    expect(await b.lastInbound(ref)).toBe(t);
    await b.noteInbound(ref, t + 3600_000);
    await a.noteInbound(ref, t + 1000);
    expect(await a.lastInbound(ref)).toBe(t + 3600_000);
    await Promise.all([a.close(), b.close()]);
    const c = await place();
    expect(await c.lastInbound(ref)).toBe(t + 3600_000);
    await c.close();
  });

  it("claims one chat's waiting deliveries across issues, due or not, once, never of announced issues", async () => {
    const place = await make();
    const a = await place();
    const b = await place();
    const chat = { channel: 'wechat-mp', chatId: 'o-9', topics: [] };
    for (const k of ['w1', 'w2', 'w3']) await a.enqueue(k, [chat, { channel: 'wechat-mp', chatId: 'o-other', topics: [] }], at());
    // w1 waits for the chat (far in the future), w2 is claimed by a live worker, w3 gets announced
    const [w1] = await a.claim('w1', { ...req('h:1:a', { channels: ['wechat-mp'], limit: 1 }) });
    await a.finish(w1!, { status: 'retry', error: 'waiting: window', nextAttemptAt: T0 + 7 * 86_400_000 }, at(1));
    await a.claim('w2', req('otherhost:5:z', { channels: ['wechat-mp'], limit: 1 }));
    const w3 = await a.claim('w3', req('h:1:a', { channels: ['wechat-mp'] }));
    for (const d of w3) await a.finish(d, { status: 'failed', error: 'x' }, at(1));
    expect(await a.announceIfDone('w3', at(2))).toBe(true);
    await a.enqueue('w3', [chat], at(3)); // an announced issue is never queued again
    const [x, y] = await Promise.all([
      a.claimChat(chat, { owner: 'h:2:b', now: T0 + 1000, leaseMs: 60_000 }),
      b.claimChat(chat, { owner: 'h:3:c', now: T0 + 1000, leaseMs: 60_000 }),
    ]);
    expect([...x, ...y].map((d) => d.issueKey)).toEqual(['w1']);
    expect([...x, ...y][0]).toMatchObject({ chatId: 'o-9', status: 'claimed', nextAttemptAt: T0 + 7 * 86_400_000, error: 'waiting: window' });
    // the live worker's claim on w2 is taken over only once its lease ran out
    expect((await a.claimChat(chat, { owner: 'h:2:b', now: T0 + 61_000, leaseMs: 60_000 })).map((d) => d.issueKey)).toEqual(['w2']);
    await Promise.all([a.close(), b.close()]);
  });

  it('marks existing issues announced without deliveries; an issue with nobody to send to is done at once', async () => {
    const place = await make();
    const s = await place();
    await s.markAnnounced(['a', 'b'], at());
    await s.markAnnounced(['b', 'c'], at());
    expect((await s.announced()).sort()).toEqual(['a', 'b', 'c']);
    await s.enqueue('d', [], at());
    expect(await s.announceIfDone('d', at())).toBe(true);
    await s.close();
  });
});

describe('PostgreSQL unavailable', () => {
  it('says which server and what to set, with the password hidden', async () => {
    const err = await openPgStore('postgres://policybot:sekret-pw@127.0.0.1:1/policybot', { connectTimeoutMs: 2000 }).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    );
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(err.message).toMatch(
      /PostgreSQL at postgres:\/\/policybot:\*\*\*@127\.0\.0\.1:1\/policybot is unavailable \(.*ECONNREFUSED.*\): check POLICYBOT_DATABASE_URL/,
    );
    expect(err.message).not.toContain('sekret');
  });
});
