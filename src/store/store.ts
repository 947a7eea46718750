import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { PolicyBotError } from '../errors.ts';
import { emptyStore, STORE_VERSION, StoreDataSchema, type StoreData } from './schema.ts';

/** The bot's persistent state behind a small interface: read a snapshot, update atomically. */
export interface Store {
  /** The current data. Treat as read-only; change it through update. */
  read(): Readonly<StoreData>;
  /**
   * Applies `fn` to the data and persists the result; updates run one at a time. `fn` works on
   * the live data, so it must check its input before it changes anything.
   */
  update<T>(fn: (data: StoreData) => T): Promise<T>;
}

/**
 * Opens the lowdb store at `file`. A missing file starts empty; a file that is not valid JSON,
 * does not match the schema, or has another version stops start-up with STORE_CORRUPT or
 * STORE_VERSION and is left as it is for recovery — never silently reset.
 * lowdb's JSONFile writes through steno (temp file + rename), so a write is atomic.
 */
export async function openStore(file: string): Promise<Store> {
  let raw: string | undefined;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new PolicyBotError('STORE_CORRUPT', `cannot read the store ${file}: ${(e as Error).message}`, { file });
    }
  }
  let initial: StoreData = emptyStore();
  if (raw !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new PolicyBotError('STORE_CORRUPT', `the store ${file} is not valid JSON; it was left untouched: restore it from a backup or move it away to start empty`, { file });
    }
    const v = (json as { version?: unknown } | null)?.version;
    if (typeof v === 'number' && v !== STORE_VERSION) {
      throw new PolicyBotError('STORE_VERSION', `the store ${file} has version ${v}; this PolicyBot reads version ${STORE_VERSION}`, { file });
    }
    const parsed = StoreDataSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new PolicyBotError('STORE_CORRUPT', `the store ${file} does not match its schema (${where}); it was left untouched`, { file });
    }
    initial = parsed.data;
  }
  await mkdir(dirname(file), { recursive: true });
  const db = new Low<StoreData>(new JSONFile<StoreData>(file), initial);
  db.data = initial;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    read: () => db.data,
    update<T>(fn: (data: StoreData) => T): Promise<T> {
      const run = queue.then(async () => {
        const result = fn(db.data);
        await db.write();
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
