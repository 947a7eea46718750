import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Corpus, CorpusFile } from '../src/corpus/types.ts';
import { parseBulletin } from '../src/ingest/parse.ts';

/** The shipped seed bulletin. */
export const SEED_PATH = join(import.meta.dirname, '..', 'data', 'bulletins', '000_357ce20f33c7d160.txt');

/**
 * Makes issue `i` (1-based) of a large synthetic corpus from the seed: new issue and cumulative
 * numbers and date, every 文号 given a distinct serial, numbers in the text shifted so no two
 * issues are identical, and two of the seed's documents repeated once more under new 文号 and
 * titles so an issue holds about 360 clauses.
 */
export function variantIssue(seed: string, i: number): string {
  const shift = (i % 7) + 1;
  const serial = (n: number): number => n + i * 50;
  let text = seed
    .replace('第 13 号(总号 393)2013 年 7 月 15 日)', `第 ${i} 号(总号 ${400 + i})2013 年 ${1 + (i % 12)} 月 ${1 + (i % 28)} 日`)
    .replace(/(〔2013〕\s*)(\d+)(\s*号)/g, (_m, a: string, n: string, b: string) => `${a}${serial(Number(n))}${b}`)
    .replace(/(\d+)(\s*(?:%|万|亿|个|元|名|家))/g, (_m, n: string, u: string) => `${Number(n) + shift}${u}`);
  // repeat two documents with new 文号 and titles
  const grab = (start: string, end: string): string => {
    const a = text.indexOf(start);
    const b = text.indexOf(end, a + start.length);
    return a >= 0 && b > a ? text.slice(a, b) : '';
  };
  const broadband = grab('# 国务院关于印发“宽带中国”战略及实施方案的通知', '# 国务院办公厅关于金融支持');
  const health = grab('# 四川省人民政府办公厅\n\n## 关于印发四川省深化医药卫生体制改革', '# 四川省人民政府办公厅 关于印发四川省基本公共服务体系');
  const extra = [broadband, health]
    .map((doc, k) =>
      doc
        .replace(/(〔2013〕\s*)(\d+)(\s*号)/, (_m, a: string, n: string, b: string) => `${a}${Number(n) + 17 + k}${b}`)
        .replace(/^(# .*?)(通知|意见)$/m, `$1$2（第${k + 2}次印发）`),
    )
    .join('\n\n');
  text = `${text}\n\n${extra}\n`;
  return text;
}

/** Parses `n` variant issues into a corpus. */
export function largeCorpus(n = 100): { corpus: Corpus; markdown: string[] } {
  const seed = readFileSync(SEED_PATH, 'utf8');
  const markdown = Array.from({ length: n }, (_, k) => variantIssue(seed, k + 1));
  const files: CorpusFile[] = markdown.map((md, k) => ({ ...parseBulletin(md, `issue-${k + 1}.md`), file: `issue-${k + 1}.md`, hash: String(k) }));
  return { corpus: { files }, markdown };
}

/** The shipped corpus, parsed. */
export function shippedCorpus(): Corpus {
  const md = readFileSync(SEED_PATH, 'utf8');
  return { files: [{ ...parseBulletin(md, 'seed'), file: 'seed', hash: 'seed' }] };
}
