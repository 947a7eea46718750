import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import type { TextTools } from '../text/toolkit.ts';
import { openCorpus } from './open.ts';
import { dataPaths } from './paths.ts';
import { corpusFileNames } from './repository.ts';
import type { CorpusSource } from './source.ts';

/** Names, sizes and modification times of the corpus files: changes when a file is added, replaced or removed. */
async function bulletinsSignature(dataDir: string): Promise<string> {
  const { bulletins } = dataPaths(dataDir);
  const names = await corpusFileNames(dataDir);
  const stats = await Promise.all(names.map((n) => stat(join(bulletins, n)).catch(() => undefined)));
  return names.map((n, i) => `${n} ${stats[i]?.size ?? '-'} ${stats[i]?.mtimeMs ?? '-'}`).join('\n');
}

/**
 * Keeps a running bot's corpus in step with the data directory: every `everyMs` it looks at the
 * bulletins folder and, when another process changed it (`policybot push --once` or `ingest`
 * beside `npm start`), opens the corpus again and swaps it in, so questions about a new issue
 * are answered without a restart. A failed reload keeps the current corpus and is logged.
 */
export async function followCorpus(o: {
  dataDir: string;
  corpus: CorpusSource;
  tools: TextTools;
  everyMs: number;
  logger: Logger;
}): Promise<{ stop(): void; check(): Promise<boolean> }> {
  let seen = await bulletinsSignature(o.dataDir);
  let busy = false;
  const check = async (): Promise<boolean> => {
    if (busy) return false;
    busy = true;
    try {
      const now = await bulletinsSignature(o.dataDir);
      if (now === seen) return false;
      o.corpus.replace(await openCorpus(o.dataDir, o.tools, { log: (line) => o.logger.warn(line) }));
      seen = now;
      o.logger.info({ files: o.corpus.current().corpus.files.length }, 'corpus reloaded: the bulletins folder changed');
      return true;
    } catch (e) {
      o.logger.warn(`corpus not reloaded: ${(e as Error).message}`);
      return false;
    } finally {
      busy = false;
    }
  };
  const timer = o.everyMs > 0 ? setInterval(() => void check(), o.everyMs) : undefined;
  timer?.unref();
  return { stop: () => clearInterval(timer), check };
}
