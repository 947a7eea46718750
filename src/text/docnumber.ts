/**
 * 文号 (document numbers) such as 川办发〔2013〕52号, in every form people and PDFs write them:
 * "川办发〔2013〕52 号", "国发[2013]31号", "国发2013年31号文", "川办发52号".
 */

/** A parsed 文号; `year` is absent when a person typed only "川办发52号". */
export interface DocNumber {
  prefix: string;
  year?: number;
  serial: number;
}

const OPEN = '〔\\[［(（【{';
const CLOSE = '〕\\]］)）】}';
// Issuer code: CJK characters, usually ending in 发/函/字/令/通/办/电.
const PREFIX = '(?:(?![号年])[\\u4e00-\\u9fa5]){1,12}';
const FULL = new RegExp(`(${PREFIX})\\s*(?:[${OPEN}]\\s*(\\d{4})\\s*[${CLOSE}]|(\\d{4})\\s*年?)\\s*第?\\s*(\\d{1,4})\\s*号`, 'gu');
const NO_YEAR = new RegExp(`(${PREFIX}?[发函字令电])\\s*第?\\s*(\\d{1,4})\\s*号`, 'gu');

/** Canonical form without spaces: 川办发〔2013〕52号. */
export function formatDocNumber(d: DocNumber): string {
  return d.year === undefined ? `${d.prefix}${d.serial}号` : `${d.prefix}〔${d.year}〕${d.serial}号`;
}

/** Parses a string that is exactly one 文号 (a standalone 文号 line); undefined otherwise. */
export function parseDocNumberLine(line: string): DocNumber | undefined {
  const s = line.normalize('NFKC').replace(/\s+/g, '').replace(/\*\*/g, '');
  const m = new RegExp(`^(${PREFIX})[${OPEN}](\\d{4})[${CLOSE}]第?(\\d{1,4})号$`, 'u').exec(s);
  if (!m) return undefined;
  return { prefix: m[1]!, year: Number(m[2]), serial: Number(m[3]) };
}

/** A 文号 found inside a longer text, with where it stood. */
export interface DocNumberMatch extends DocNumber {
  index: number;
  length: number;
}

/**
 * Finds 文号 mentions in free text. The issuer code is greedy ("查国发" for "查国发2013年31号"),
 * so `knownPrefixes` (from the corpus) trims it to the longest known suffix when given.
 */
export function findDocNumbers(text: string, knownPrefixes: readonly string[] = []): DocNumberMatch[] {
  const s = text.normalize('NFKC');
  const out: DocNumberMatch[] = [];
  const taken: Array<[number, number]> = [];
  const trim = (raw: string): { prefix: string; offset: number } | undefined => {
    if (knownPrefixes.length === 0) return { prefix: raw, offset: 0 };
    let best: string | undefined;
    for (const p of knownPrefixes) if (raw.endsWith(p) && (!best || p.length > best.length)) best = p;
    return best ? { prefix: best, offset: raw.length - best.length } : undefined;
  };
  for (const m of s.matchAll(FULL)) {
    const t = trim(m[1]!);
    if (!t) continue;
    const index = m.index + t.offset;
    out.push({ prefix: t.prefix, year: Number(m[2] ?? m[3]), serial: Number(m[4]), index, length: m[0].length - t.offset });
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const m of s.matchAll(NO_YEAR)) {
    if (taken.some(([a, b]) => m.index < b && m.index + m[0].length > a)) continue;
    const t = trim(m[1]!);
    if (!t) continue;
    out.push({ prefix: t.prefix, serial: Number(m[2]), index: m.index + t.offset, length: m[0].length - t.offset });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** True when `query` (maybe without year) designates `doc`. */
export function docNumberMatches(query: DocNumber, doc: DocNumber): boolean {
  return query.prefix === doc.prefix && query.serial === doc.serial && (query.year === undefined || query.year === doc.year);
}
