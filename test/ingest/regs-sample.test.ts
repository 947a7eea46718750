import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, loadCorpus } from '../../src/corpus/repository.ts';
import { FIXTURES, tempDataDir } from '../helpers.ts';

/** 106 real laws and regulations from regs-scale: 88 spread over every kind and province, and the 18 questions are written on. */
const files = ['regs-sample', 'regs-qa'].flatMap((d) =>
  readdirSync(join(FIXTURES, d))
    .filter((n) => n.endsWith('.md'))
    .map((n) => join(FIXTURES, d, n)),
);

describe('a sample of 106 regs-scale laws and regulations', () => {
  it('ingests every one in one batch, each with clauses, known by its first-line title', async () => {
    expect(files).toHaveLength(106);
    const dir = await tempDataDir(false);
    const r = await ingestFiles(
      dir,
      files.map((path) => ({ path })),
    );
    if (!r.ok) throw new Error(r.failures.map((f) => f.error.message).join('\n'));
    expect(r.outcomes.filter((o) => o.status === 'added')).toHaveLength(106);
    const corpus = await loadCorpus(dir);
    expect(corpus.files).toHaveLength(106);
    for (const f of corpus.files) {
      expect(f.documents).toHaveLength(1);
      const d = f.documents[0]!;
      expect(d.clauses.length, f.file).toBeGreaterThanOrEqual(1);
      const source = files.find((p) => p.endsWith(`/${f.file}`))!;
      const firstLine = readFileSync(source, 'utf8').split('\n')[0]!.replace(/^#\s+/, '').trim();
      if (!d.docNumber) expect(d.title, f.file).toBe(firstLine);
      // ids are unique, so every clause can be cited
      expect(new Set(d.clauses.map((c) => c.id)).size, f.file).toBe(d.clauses.length);
    }
    const again = await ingestFiles(
      dir,
      files.map((path) => ({ path })),
    );
    expect(again.ok && again.outcomes.every((o) => o.status === 'unchanged')).toBe(true);
  });
});
