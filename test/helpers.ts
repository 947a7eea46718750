import { Writable } from 'node:stream';
import { mkdtemp, cp, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseBulletin } from '../src/ingest/parse.ts';
import type { ParsedFile } from '../src/corpus/types.ts';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '..');
/** The shipped seed bulletin. */
export const SEED = join(ROOT, 'data/bulletins/000_357ce20f33c7d160.txt');
/** Test fixtures folder. */
export const FIXTURES = join(ROOT, 'test/fixtures');

let seedParsed: ParsedFile | undefined;
/** The seed parsed once per test file. */
export function seed(): ParsedFile {
  return (seedParsed ??= parseBulletin(readFileSync(SEED, 'utf8'), 'seed'));
}

/** A fresh data directory holding a copy of the shipped bulletins. */
export async function tempDataDir(withSeed = true): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'policybot-'));
  await mkdir(join(dir, 'bulletins'), { recursive: true });
  if (withSeed) await cp(SEED, join(dir, 'bulletins', '000_357ce20f33c7d160.txt'));
  return dir;
}

/** Resolves when `pred` holds, polling every 10 ms; rejects after `ms`. */
export async function until(pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A writable stream that keeps what is written, one string per write (log lines in tests). */
export function lineSink(into: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      into.push(String(chunk));
      done();
    },
  });
}
