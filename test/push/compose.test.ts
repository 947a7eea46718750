import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/answer/answer.ts';
import { parseBulletin } from '../../src/ingest/parse.ts';
import { createIssueComposer } from '../../src/push/compose.ts';
import { buildIndex } from '../../src/search/inverted-index.ts';
import { FIXTURES } from '../helpers.ts';
import { textTools } from '../search/fixtures.ts';

const file = { ...parseBulletin(readFileSync(join(FIXTURES, 'mianyang-2013-14.md'), 'utf8')), file: '14.md', hash: 'h' };

describe('push composer', () => {
  it('quotes the passages and citations answer/ builds, cut shorter for a push', () => {
    const tools = textTools();
    const reply = createIssueComposer(file, tools).forTopics(['医保']);
    const clauses = reply.blocks.filter((b) => b.kind === 'clause');
    expect(clauses.length).toBeGreaterThan(0);
    const r = answerQuestion(buildIndex({ files: [file] }, tools), '医保', { limit: 3, maxPassage: 300 });
    expect(clauses).toEqual(r.hits.map((h) => ({ kind: 'clause', text: h.passage, citation: h.citation })));
    for (const c of clauses) expect(c.text.length).toBeLessThanOrEqual(302);
  });

  it('a subscriber whose topics match nothing gets a one-line notice, not silence', () => {
    const reply = createIssueComposer(file, textTools()).forTopics(['比特币挖矿']);
    expect(reply.blocks).toHaveLength(1);
    expect(reply.blocks[0]).toMatchObject({ kind: 'text' });
    expect((reply.blocks[0] as { text: string }).text).toContain('没有与“比特币挖矿”直接相关的内容');
  });

  it('a subscriber to everything gets the list of documents', () => {
    const reply = createIssueComposer(file, textTools()).forTopics([]);
    expect(reply.blocks[0]).toMatchObject({ kind: 'list', items: file.documents.map((d) => expect.stringContaining(d.docNumber)) });
  });
});
