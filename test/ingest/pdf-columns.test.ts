import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSourceBytes } from '../../src/corpus/repository.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { FIXTURES } from '../helpers.ts';
import { typesetTwoColumns } from './bulletin-pdf.ts';

describe('a document set in two columns', () => {
  it('reads the left column, then the right, page by page: the same clauses as its markdown', async () => {
    const md = readFileSync(join(FIXTURES, 'html', 'source', 'bj_2024_flexible_employment_subsidy.md'), 'utf8');
    const pdf = await typesetTwoColumns(md);
    const { file } = await parseSourceBytes(pdf, 'two-columns.pdf');
    const want = parseBulletin(md, 'md').documents[0]!;
    const got = file.documents[0]!;
    expect([got.docNumber, got.title, got.signDate]).toEqual([want.docNumber, want.title, want.signDate]);
    expect(got.clauses.map((c) => `${c.label} ${c.text}`)).toEqual(want.clauses.map((c) => `${c.label} ${c.text}`));
    const pages = got.clauses.map((c) => c.page!);
    expect(pages[0]).toBe(1);
    expect(pages.at(-1)).toBeGreaterThan(1);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
  }, 60_000);
});
