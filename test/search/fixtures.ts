import { buildIndex, type SearchIndex } from '../../src/search/inverted-index.ts';
import { createTextTools, type TextTools } from '../../src/text/toolkit.ts';
import { seed } from '../helpers.ts';

let tools: TextTools | undefined;
let index: SearchIndex | undefined;

/** Shared text tools (jieba loads once per test file). */
export function textTools(): TextTools {
  return (tools ??= createTextTools());
}

/** The index over the seed bulletin. */
export function seedIndex(): SearchIndex {
  return (index ??= buildIndex({ files: [{ ...seed(), file: 'seed.txt', hash: 'x' }] }, textTools()));
}
