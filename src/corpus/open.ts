import { buildIndex, documentKey, withRuntime, type SearchIndex } from '../search/inverted-index.ts';
import { indexTypoVocabulary } from '../search/typo-repair.ts';
import { createTextTools, type TextTools } from '../text/toolkit.ts';
import { dataPaths } from './paths.ts';
import { corpusFileNames, loadCorpus } from './repository.ts';
import { readSnapshot, snapshotFingerprint, snapshotPath, writeSnapshot } from './snapshot.ts';
import type { Corpus } from './types.ts';

/** A loaded corpus and its search index. */
export interface OpenCorpus {
  corpus: Corpus;
  index: SearchIndex;
  tools: TextTools;
}

/** How to open a corpus. */
export interface OpenOptions {
  /** Use and keep the index snapshot in the data directory's state folder (default true). */
  snapshot?: boolean;
  /** Where a line goes when a snapshot is corrupt or cannot be written (default: stderr). */
  log?: (line: string) => void;
}

const stderrLine = (line: string): void => {
  process.stderr.write(`policybot: ${line}\n`);
};

/**
 * Loads the data directory and its index (the one way the app gets a searchable corpus): from
 * the index snapshot when it matches the corpus files, the code and the dictionaries; else by
 * parsing every file and building the index, then writing a fresh snapshot for the next start.
 */
export async function openCorpus(dataDir: string, tools?: TextTools, options: OpenOptions = {}): Promise<OpenCorpus> {
  const t = tools ?? createTextTools(dataPaths(dataDir).dictionaries);
  if (options.snapshot === false) {
    const corpus = await loadCorpus(dataDir);
    return { corpus, index: buildIndex(corpus, t), tools: t };
  }
  const log = options.log ?? stderrLine;
  const path = snapshotPath(dataDir);
  const names = await corpusFileNames(dataDir);
  const fingerprint = await snapshotFingerprint(dataDir, names);
  const found = readSnapshot(path, fingerprint);
  if ('content' in found) return { corpus: found.content.corpus, index: withRuntime(found.content.index, t), tools: t };
  if (found.reason === 'corrupt') log(`index snapshot ${path} is unusable (${found.detail}); rebuilding it`);
  const corpus = await loadCorpus(dataDir);
  const index = buildIndex(corpus, t);
  // the files may have changed while they were read: only a snapshot of what was read is kept
  if ((await snapshotFingerprint(dataDir, await corpusFileNames(dataDir))) === fingerprint) {
    const { tools: _tools, ...stored } = index;
    // made now, while every clause is in memory anyway, so a start from the snapshot never reads them all for it
    stored.typoVocabulary = indexTypoVocabulary(index);
    stored.docTexts = index.docs.map((_, d) => documentKey(index, d));
    await writeSnapshot(path, fingerprint, { corpus, index: stored }).catch((e: unknown) =>
      log(`could not write the index snapshot ${path}: ${(e as Error).message}`),
    );
  }
  return { corpus, index, tools: t };
}
