import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPolicyBotError } from '../../src/errors.ts';
import { openStore } from '../../src/store/store.ts';

const tmp = () => mkdtemp(join(tmpdir(), 'policybot-store-'));

describe('lowdb store on a real file', () => {
  it('round-trips through the file with a version', async () => {
    const dir = await tmp();
    const file = join(dir, 'store.json');
    const s = await openStore(file);
    await s.update((d) => {
      d.subscribers.push({ channel: 'telegram', chatId: '42', isGroup: false, topics: ['医保'], active: true, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });
      d.stats.asked = 3;
    });
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.version).toBe(1);
    const again = await openStore(file);
    expect(again.read().subscribers[0]!.topics).toEqual(['医保']);
    expect(again.read().stats.asked).toBe(3);
  });

  it('serialises concurrent updates and leaves no temp files', async () => {
    const dir = await tmp();
    const file = join(dir, 'store.json');
    const s = await openStore(file);
    await Promise.all(Array.from({ length: 50 }, () => s.update((d) => void d.stats.asked++)));
    expect((await openStore(file)).read().stats.asked).toBe(50);
    expect(await readdir(dir)).toEqual(['store.json']);
  });

  it('refuses a corrupted file, says where, and keeps it untouched', async () => {
    const dir = await tmp();
    const file = join(dir, 'store.json');
    await writeFile(file, '{"version":1,"subscribers":[{"channel":');
    await expect(openStore(file)).rejects.toSatisfy((e: unknown) => isPolicyBotError(e, 'STORE_CORRUPT') && String((e as Error).message).includes(file));
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"subscribers":[{"channel":');
    await writeFile(file, JSON.stringify({ version: 1, subscribers: 'nope' }));
    await expect(openStore(file)).rejects.toSatisfy((e: unknown) => isPolicyBotError(e, 'STORE_CORRUPT'));
    await writeFile(file, JSON.stringify({ version: 99 }));
    await expect(openStore(file)).rejects.toSatisfy((e: unknown) => isPolicyBotError(e, 'STORE_VERSION'));
  });

  it('an update that throws before changing anything writes nothing', async () => {
    const dir = await tmp();
    const file = join(dir, 'store.json');
    const s = await openStore(file);
    await s.update((d) => void d.stats.asked++);
    await expect(s.update(() => { throw new Error('bad input'); })).rejects.toThrow('bad input');
    await s.update((d) => void d.stats.asked++);
    expect((await openStore(file)).read().stats.asked).toBe(2);
  });
});
