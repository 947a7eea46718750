import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../package-root.ts';
import { createBackgroundFrequencies, type BackgroundFrequencies } from './background.ts';
import type { TextFn } from './normalize.ts';
import { parsePlaces, type PlaceTable } from './places.ts';
import { parseQuestionWords, type QuestionWords } from './question-words.ts';
import { createJiebaSegmenter, type Segmenter } from './segment.ts';
import { mergeSynonyms, parseSynonyms, type SynonymTable } from './synonyms.ts';
import { dict as jiebaDict } from '@node-rs/jieba/dict.js';
import { createToSimplified } from './traditional.ts';

/** The Chinese text functions the index and the query reader use; every one injectable. */
export interface TextTools {
  segmenter: Segmenter;
  toSimplified: TextFn;
  synonyms: SynonymTable;
  questionWords: QuestionWords;
  /** How common a word is in general Chinese (topic words vs everyday words). */
  background: BackgroundFrequencies;
  /** Places documents govern and questions name (北京, 京 in 京人社发…). */
  places: PlaceTable;
}

/** The dictionaries shipped with the package (data/dictionaries). */
export const SHIPPED_DICTIONARIES = resolve(packageRoot(), 'data/dictionaries');

/** Reads a dictionary from `dir`, falling back to the shipped one when `dir` lacks it. */
export function readDictionary(dir: string | undefined, name: string): string {
  const own = dir ? join(dir, name) : undefined;
  return readFileSync(own && existsSync(own) ? own : join(SHIPPED_DICTIONARIES, name), 'utf8');
}

/** Builds the default tools from the dictionaries in `dictionaryDir` (or the shipped ones). */
export function createTextTools(dictionaryDir?: string, overrides: Partial<TextTools> = {}): TextTools {
  const words = readDictionary(dictionaryDir, 'words.txt')
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  return {
    segmenter: overrides.segmenter ?? createJiebaSegmenter(words),
    toSimplified: overrides.toSimplified ?? createToSimplified(),
    synonyms:
      overrides.synonyms ??
      mergeSynonyms(
        parseSynonyms(readDictionary(dictionaryDir, 'synonyms.txt'), 'synonyms.txt'),
        parseSynonyms(readDictionary(dictionaryDir, 'colloquial.txt'), 'colloquial.txt'),
      ),
    questionWords: overrides.questionWords ?? parseQuestionWords(readDictionary(dictionaryDir, 'question-words.txt')),
    background: overrides.background ?? createBackgroundFrequencies(() => jiebaDict),
    places: overrides.places ?? parsePlaces(readDictionary(dictionaryDir, 'places.txt')),
  };
}
