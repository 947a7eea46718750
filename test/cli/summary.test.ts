import { describe, expect, it } from 'vitest';
import { corpusSummary } from '../../src/cli/commands-app.ts';
import type { CorpusFile } from '../../src/corpus/types.ts';

const issue = (n: number): CorpusFile =>
  ({ file: `${n}.md`, issue: { publication: '绵阳市人民政府公报', year: 2013, number: n }, documents: [], toc: [], warnings: [] }) as unknown as CorpusFile;
const loose = (title: string): CorpusFile => ({ file: `${title}.md`, documents: [{ title, docNumber: '' }], toc: [], warnings: [] }) as unknown as CorpusFile;

describe('the terminal banner names what the corpus holds without listing thousands of files', () => {
  it('names a few issues and one document, counts many', () => {
    expect(corpusSummary([])).toBe('无');
    expect(corpusSummary([issue(13), loose('重庆市失业保险条例')])).toBe('绵阳市人民政府公报 2013年第13号；《重庆市失业保险条例》');
    expect(corpusSummary([1, 2, 3, 4].map(issue))).toBe('4 期公报');
    expect(corpusSummary(Array.from({ length: 2873 }, (_, i) => loose(`条例${i}`)))).toBe('2873 个单独收录的文件');
  });
});
