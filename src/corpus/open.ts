import { buildIndex, type SearchIndex } from '../search/index.ts';
import { createTextTools, type TextTools } from '../text/toolkit.ts';
import { dataPaths } from './paths.ts';
import { loadCorpus } from './repository.ts';
import type { Corpus } from './types.ts';

/** A loaded corpus and its search index. */
export interface OpenCorpus {
  corpus: Corpus;
  index: SearchIndex;
  tools: TextTools;
}

/** Loads the data directory and builds the index (the one way the app gets a searchable corpus). */
export async function openCorpus(dataDir: string, tools?: TextTools): Promise<OpenCorpus> {
  const t = tools ?? createTextTools(dataPaths(dataDir).dictionaries);
  const corpus = await loadCorpus(dataDir);
  return { corpus, index: buildIndex(corpus, t), tools: t };
}
