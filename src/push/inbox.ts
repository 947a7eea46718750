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

/**
 * Reads the inbox folder: files that parse are returned; a file that does not is moved to
 * rejected/ with a .reason.txt beside it, and the others go on. With `dryRun` nothing moves.
 */
export async function readInbox(dir: string, logger: Logger, dryRun = false): Promise<InboxFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && SOURCE_EXTENSIONS.has(extname(d.name).toLowerCase()) && !d.name.startsWith('.')).map((d) => d.name).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const good: InboxFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const bytes = await readFile(path);
    try {
      await parseSourceBytes(bytes, name);
      good.push({ path, name, bytes });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      logger.warn({ file: name }, `inbox file rejected: ${reason}`);
      if (!dryRun) {
        await mkdir(join(dir, 'rejected'), { recursive: true });
        await rename(path, join(dir, 'rejected', name));
        await writeFile(join(dir, 'rejected', `${name}.reason.txt`), `${reason}\n`);
      }
    }
  }
  return good;
}

/** Moves an ingested inbox file to processed/. */
export async function markProcessed(dir: string, file: InboxFile): Promise<void> {
  await mkdir(join(dir, 'processed'), { recursive: true });
  await rename(file.path, join(dir, 'processed', file.name));
}
