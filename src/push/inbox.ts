import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseSourceBytes } from '../corpus/repository.ts';
import { SOURCE_EXTENSIONS } from '../ingest/source.ts';
import type { Logger } from '../logger.ts';

/** A new file found in the inbox that parses. */
export interface InboxFile {
  path: string;
  name: string;
  bytes: Uint8Array;
}

/** True for "no such file": another process (a second `push --once`, `npm start`) took the file first. */
const gone = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Reads the inbox folder: files that parse are returned; a file that does not is moved to
 * rejected/ with a .reason.txt beside it, and the others go on. With `dryRun` nothing moves. A
 * file that vanishes meanwhile was taken by another process and is skipped.
 */
export async function readInbox(dir: string, logger: Logger, dryRun = false): Promise<InboxFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isFile() && SOURCE_EXTENSIONS.has(extname(d.name).toLowerCase()) && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const good: InboxFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      if (gone(e)) continue;
      throw e;
    }
    try {
      await parseSourceBytes(bytes, name);
      good.push({ path, name, bytes });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      logger.warn({ file: name }, `inbox file rejected: ${reason}`);
      if (!dryRun) {
        await mkdir(join(dir, 'rejected'), { recursive: true });
        try {
          await rename(path, join(dir, 'rejected', name));
        } catch (err) {
          if (gone(err)) continue;
          throw err;
        }
        await writeFile(join(dir, 'rejected', `${name}.reason.txt`), `${reason}\n`);
      }
    }
  }
  return good;
}

/** Moves an ingested inbox file to processed/ (unless another process already did). */
export async function markProcessed(dir: string, file: InboxFile): Promise<void> {
  await mkdir(join(dir, 'processed'), { recursive: true });
  try {
    await rename(file.path, join(dir, 'processed', file.name));
  } catch (e) {
    if (!gone(e)) throw e;
  }
}
