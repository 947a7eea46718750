import { join } from 'node:path';
import { dataPaths } from '../corpus/paths.ts';
import type { LogWarn } from './jsonl-log.ts';
import { openFileStore } from './file-store.ts';
import type { Store } from './store.ts';

/** Directory of the file store in a data directory. */
export function storeDir(dataDir: string): string {
  return join(dataPaths(dataDir).state, 'store');
}

/**
 * Opens the configured store: PostgreSQL when a database URL is given (several bot processes
 * behind a load balancer), else the file store in the data directory.
 */
export async function openStore(opts: { dataDir: string; databaseUrl?: string | undefined; warn?: LogWarn; now?: () => number }): Promise<Store> {
  if (opts.databaseUrl) {
    const { openPgStore } = await import('./pg-store.ts');
    return openPgStore(opts.databaseUrl);
  }
  const { migrateV1 } = await import('./migrate-v1.ts');
  const dir = storeDir(opts.dataDir);
  await migrateV1(dataPaths(opts.dataDir).state, dir, opts.warn);
  return openFileStore(dir, { ...(opts.warn ? { warn: opts.warn } : {}), ...(opts.now ? { now: opts.now } : {}) });
}
