import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFileBytes } from '../corpus/repository.ts';
import type { Corpus, CorpusFile } from '../corpus/types.ts';
import { parseEvalFile, type EvalQuestion } from './eval.ts';

/**
 * The documents and questions the ranking model is fitted and evaluated on: the shipped
 * bulletin, the development documents and regulations kept in test/fixtures, and every question
 * file in test/fixtures/questions/.
 */
export const TRAINING_CORPUS_DIRS = ['data/bulletins', 'test/fixtures/dev', 'test/fixtures/regs-qa'];
export const TRAINING_QUESTIONS_DIR = 'test/fixtures/questions';

/** A question with the file it came from. */
export type SourcedQuestion = EvalQuestion & { source: string };

/** The training documents and questions, read from the repository at `root`. */
export interface TrainingSet {
  corpus: Corpus;
  questions: SourcedQuestion[];
}

async function filesIn(dir: string, ext: RegExp): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .filter((n) => ext.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n));
}

/** Reads the training set of the repository at `root` (extra question files may be added). */
export async function loadTrainingSet(root: string, questionFiles?: string[]): Promise<TrainingSet> {
  const files: CorpusFile[] = [];
  for (const dir of TRAINING_CORPUS_DIRS) {
    for (const f of await filesIn(join(root, dir), /\.(md|txt|markdown)$/i)) files.push(parseFileBytes(await readFile(f), f));
  }
  const qfiles = questionFiles ?? (await filesIn(join(root, TRAINING_QUESTIONS_DIR), /\.jsonl$/));
  const questions: SourcedQuestion[] = [];
  for (const f of qfiles) {
    for (const q of parseEvalFile(await readFile(f, 'utf8'))) questions.push({ ...q, source: f });
  }
  return { corpus: { files }, questions };
}
