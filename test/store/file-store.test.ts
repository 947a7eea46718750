import { appendFile, mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPolicyBotError } from '../../src/errors.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { openStore, storeDir } from '../../src/store/open.ts';
import { SESSION_TTL_MS } from '../../src/store/schema.ts';

const tmp = () => mkdtemp(join(tmpdir(), 'policybot-fstore-'));
const T0 = Date.UTC(2026, 0, 1);
const at = (ms = 0): string => new Date(T0 + ms).toISOString();
const lines = async (file: string): Promise<string[]> => (await readFile(file, 'utf8')).split('\n').filter(Boolean);

describe('the file store on real files', () => {
  it('every line carries the format version; nothing but the logs and the lock is left behind', async () => {
    const dir = await tmp();
    const s = await openFileStore(dir);
    await s.subscribe({ channel: 'telegram', chatId: '1', isGroup: false, topics: [] }, at());
    await Promise.all(Array.from({ length: 30 }, (_, i) => s.recordQuestion({ query: 'q', key: 'q', answered: i % 2 === 0 }, at(i))));
    await s.close();
    for (const l of await lines(join(dir, 'subscribers.jsonl'))) expect(JSON.parse(l).v).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['chat.jsonl', 'subscribers.jsonl']);
    expect(await (await openFileStore(dir)).stats()).toMatchObject({ asked: 30, answered: 15 });
  });

  it('a torn last line (a crash mid-write) is cut off and logged before the next append, never glued to it', async () => {
    const dir = await tmp();
    const s = await openFileStore(dir);
    await s.enqueue('i1', [{ channel: 'telegram', chatId: '1', topics: [] }], at());
    await appendFile(join(dir, 'deliveries.jsonl'), '{"v":2,"issueKey":"i1","channel":"tele');
    const warnings: string[] = [];
    const t = await openFileStore(dir, { warn: (m) => warnings.push(m) });
    expect(await t.progress('i1')).toMatchObject({ pending: 1 });
    const [d] = await t.claim('i1', { owner: 'h:1:a', channels: ['telegram'], limit: 5, now: T0, leaseMs: 1000 });
    await t.finish(d!, { status: 'sent' }, at(1));
    expect(warnings.join('\n')).toMatch(/removed a torn last line \(\d+ bytes\)/);
    const all = await lines(join(dir, 'deliveries.jsonl'));
    for (const l of all) expect(() => JSON.parse(l)).not.toThrow();
    expect(await (await openFileStore(dir)).progress('i1')).toMatchObject({ sent: 1, pending: 0 });
  });

  it('refuses a record that does not match its format, or a newer format, and leaves the file as it was', async () => {
    const dir = await tmp();
    await mkdir(dir, { recursive: true });
    const bad = '{"v":2,"channel":"telegram","chatId":"1","topics":"nope"}\n';
    await writeFile(join(dir, 'subscribers.jsonl'), bad);
    await expect(openFileStore(dir)).rejects.toSatisfy(
      (e: unknown) => isPolicyBotError(e, 'STORE_CORRUPT') && String((e as Error).message).includes('subscribers.jsonl'),
    );
    expect(await readFile(join(dir, 'subscribers.jsonl'), 'utf8')).toBe(bad);
    await writeFile(join(dir, 'subscribers.jsonl'), '{"v":99}\n');
    await expect(openFileStore(dir)).rejects.toSatisfy((e: unknown) => isPolicyBotError(e, 'STORE_VERSION'));
  });

  it('does not grow without bound: superseded chat lines and expired sessions are compacted away', async () => {
    const dir = await tmp();
    let now = T0;
    const s = await openFileStore(dir, { now: () => now, compactMin: 200 });
    for (let i = 0; i < 1000; i++) await s.setSession(`telegram:${i % 50}`, { query: `q${i}`, shown: 1, at: at() });
    expect((await lines(join(dir, 'chat.jsonl'))).length).toBeLessThan(220);
    expect(await s.session('telegram:7', T0)).toMatchObject({ query: 'q957' });
    now = T0 + SESSION_TTL_MS + 1;
    const again = await openFileStore(dir, { now: () => now });
    expect(await again.session('telegram:7', T0)).toBeUndefined();
    expect((await lines(join(dir, 'chat.jsonl'))).length).toBe(1);
  });

  it('drops the per-subscriber records of an announced issue when it compacts', async () => {
    const dir = await tmp();
    const s = await openFileStore(dir, { compactMin: 100 });
    const targets = Array.from({ length: 300 }, (_, i) => ({ channel: 'telegram', chatId: String(i), topics: [] }));
    await s.enqueue('big', targets, at());
    for (;;) {
      const batch = await s.claim('big', { owner: 'h:1:a', channels: ['telegram'], limit: 100, now: T0, leaseMs: 60_000 });
      if (!batch.length) break;
      for (const d of batch) await s.finish(d, { status: 'sent' }, at(1));
    }
    expect(await s.announceIfDone('big', at(2))).toBe(true);
    expect(await lines(join(dir, 'deliveries.jsonl'))).toEqual([]);
    expect(await s.announcements()).toEqual([{ issueKey: 'big', at: at(2), sent: 300, failed: 0 }]);
  });

  it('migrates a version-1 store.json and its journal once, keeping subscribers, counts and delivered chats', async () => {
    const data = await tmp();
    const state = join(data, 'state');
    await mkdir(state, { recursive: true });
    const sub = (chatId: string) => ({ channel: 'telegram', chatId, isGroup: false, topics: ['医保'], active: true, createdAt: at(), updatedAt: at() });
    await writeFile(
      join(state, 'store.json'),
      JSON.stringify({
        version: 1,
        subscribers: [sub('1'), sub('2'), sub('3')],
        deliveries: [],
        feedback: [{ channel: 'telegram', chatId: '1', userId: 'u', query: 'q', clauseId: 'c', useful: true, at: at() }],
        stats: { asked: 9, answered: 7 },
        unanswered: [{ query: '驾照', count: 2, lastAt: at() }],
        sessions: {},
        announced: ['old'],
      }),
    );
    await writeFile(
      join(state, 'deliveries.jsonl'),
      `${JSON.stringify({ v: 1, issueKey: 'new', channel: 'telegram', chatId: '2', status: 'sent', attempts: 1, at: at() })}\n{"v":1,"issu`,
    );
    const s = await openStore({ dataDir: data });
    expect((await s.subscribers()).length).toBe(3);
    expect(await s.announced()).toEqual(['old']);
    expect(await s.stats()).toMatchObject({ asked: 9, answered: 7, feedback: 1, useful: 1, unanswered: [{ query: '驾照', count: 2 }] });
    expect(await s.progress('new')).toMatchObject({ sent: 1 });
    expect((await readdir(state)).sort()).toEqual(['deliveries.jsonl.v1-migrated', 'store', 'store.json.v1-migrated']);
    expect((await readdir(storeDir(data))).length).toBeGreaterThan(3);
  });
});
