import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCorpus, type OpenCorpus } from '../../src/corpus/open.ts';
import { ingestFile } from '../../src/corpus/repository.ts';
import type { Clause, CorpusFile } from '../../src/corpus/types.ts';
import { answerQuestion as search } from '../../src/answer/answer.ts';
import { FIXTURES, SEED, seed, tempDataDir } from '../helpers.ts';
import { seedIndex, textTools } from '../search/fixtures.ts';
import { typesetBulletin, type TypesetBulletin } from './bulletin-pdf.ts';

const questions = readFileSync(join(FIXTURES, 'questions/extra.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; q: string; doc: string });

/** The printed page the typesetter put a markdown clause on: that of the block holding its line. */
function expectedPage(typeset: TypesetBulletin, clause: Clause): number {
  let page = 0;
  let best = 0;
  for (const [line, p] of typeset.pageOfLine) if (line <= clause.line && line >= best) [best, page] = [line, p];
  return page;
}

describe('the shipped bulletin typeset as a PDF (running headers, folios) ingests like its markdown', () => {
  let typeset: TypesetBulletin;
  let pdfCorpus: OpenCorpus;
  let file: CorpusFile;

  beforeAll(async () => {
    typeset = await typesetBulletin(readFileSync(SEED, 'utf8'));
    const dir = await tempDataDir(false);
    const r = await ingestFile(dir, 'mianyang-2013-13.pdf', typeset.pdf);
    file = r.file;
    pdfCorpus = await openCorpus(dir, textTools());
  }, 120_000);

  it('finds the issue and the same documents', () => {
    expect(typeset.pages).toBeGreaterThan(30);
    expect(file.issue).toMatchObject({ publication: '绵阳市人民政府公报', year: 2013, number: 13 });
    expect(file.documents.map((d) => [d.docNumber, d.title])).toEqual(seed().documents.map((d) => [d.docNumber, d.title]));
  });

  it('gives the same clauses, verbatim', () => {
    const md = seed().documents.flatMap((d) => d.clauses.map((c) => `${c.id} ${c.text}`));
    const pdf = file.documents.flatMap((d) => d.clauses.map((c) => `${c.id} ${c.text}`));
    expect(pdf).toEqual(md);
  });

  it('puts every clause on the printed page it starts on (the folio, not the physical page)', () => {
    const md = new Map(seed().documents.flatMap((d) => d.clauses.map((c) => [c.id, c] as const)));
    const wrong = file.documents.flatMap((d) =>
      d.clauses.filter((c) => c.page !== expectedPage(typeset, md.get(c.id)!)).map((c) => `${c.id} p.${c.page} want ${expectedPage(typeset, md.get(c.id)!)}`),
    );
    expect(wrong).toEqual([]);
  });

  it('answers every question as the markdown does, citing the page', () => {
    const differ: string[] = [];
    for (const q of questions) {
      const a = search(seedIndex(), q.q, { limit: 3 });
      const b = search(pdfCorpus.index, q.q, { limit: 3 });
      const top = (r: typeof a) => r.hits.map((h) => h.clause.id).join(' | ');
      if (a.answered !== b.answered || top(a) !== top(b)) differ.push(`${q.id} ${q.q}: md ${top(a)} / pdf ${top(b)}`);
    }
    expect(differ).toEqual([]);
    const hit = search(pdfCorpus.index, '节能环保产业产值每年增长多少').hits[0]!;
    expect(hit.citation.label).toMatch(/ · 绵阳市人民政府公报 2013年第13号（总第393号） · 第\d+页$/);
    expect(hit.citation.pages).toBe(String(hit.clause.page));
  });
});
