import type { IssueInfo, ParseWarning } from '../corpus/types.ts';
import type { Block } from './blocks.ts';
import { parseChineseDate } from './repair.ts';

/**
 * Reads the issue header from the blocks before the first document: publication name,
 * issue and cumulative numbers, date. Tolerates the malformed "第 13 号(总号 393)2013 年 7 月 15 日)"
 * and the common "2013年第13期（总第393期）".
 */
export function parseIssueHeader(blocks: Block[], warnings: ParseWarning[]): IssueInfo | undefined {
  let publication: string | undefined;
  let editor: string | undefined;
  let year: number | undefined;
  let number: number | undefined;
  let total: number | undefined;
  let date: string | undefined;
  let unit: '号' | '期' | undefined;
  let line = blocks[0]?.line ?? 1;
  for (const b of blocks) {
    const t = b.text.normalize('NFKC').replace(/\s+/g, '');
    if (!publication && /公报$|公报[(（]|政报$|公报\d{4}/.test(t) && t.length <= 40) {
      publication = b.text
        .replace(/\s+/g, '')
        .replace(/[(（].*$/, '')
        .replace(/\d{4}.*$/, '');
      line = b.line;
      continue;
    }
    if (!editor && /编$/.test(t) && t.length <= 30) editor = t;
    let m = /第(\d{1,3})(号|期)[(（]?总(?:号|第)?(\d{1,5})(?:号|期)?[)）]?/.exec(t);
    if (m && number === undefined) {
      number = Number(m[1]);
      unit = m[2] as '号' | '期';
      total = Number(m[3]);
    }
    m = /(\d{4})年第(\d{1,3})(号|期)/.exec(t);
    if (m && number === undefined) {
      year = Number(m[1]);
      number = Number(m[2]);
      unit = m[3] as '号' | '期';
      const tot = /总第?(\d{1,5})(?:号|期)/.exec(t);
      if (tot) total = Number(tot[1]);
    }
    if (!date && number !== undefined) date = parseChineseDate(t);
    if (year === undefined && /^\d{4}$/.test(t)) year = Number(t);
  }
  if (!publication || number === undefined) return undefined;
  if (date) year = Number(date.slice(0, 4));
  if (year === undefined) {
    warnings.push({ line, message: 'issue header has no year' });
    return undefined;
  }
  const issue: IssueInfo = { publication, year, number };
  if (unit === '期') issue.unit = unit;
  if (total !== undefined) issue.total = total;
  if (date) issue.date = date;
  if (editor) issue.editor = editor;
  return issue;
}
