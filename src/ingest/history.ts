import type { DocVersion } from '../corpus/types.ts';
import type { Block } from './blocks.ts';
import { detectMarker } from './numbering.ts';
import { parseChineseDate } from './repair.ts';

/** "2008年7月25日 重庆市第三届人民代表大会常务委员会第五次会议通过": a dated step of a law's history. */
const DATED = /^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/u;
/** The rest of a history line the source broke: short, no sentence, ending with its step. */
const CONTINUED = /^[^。；：:，,]{1,60}?(?:通过|修订|修正|公布|发布|批准|施行)[)）]?$/u;
/** Steps that make a version, most specific first (a 修正 passed by a 决定 is a 修正). */
const ACTIONS = ['修订', '修正', '通过', '公布', '发布', '批准'] as const;

/** "1995年1月1日 执行", "2001年1月1日起施行": a short dated line that is only a step of a text's history. */
export function isHistoryLine(text: string): boolean {
  const t = text.trim();
  return t.length <= 80 && DATED.test(t) && !/[。；，,]/.test(t) && /(?:通过|修订|修正|公布|发布|批准|施行|执行)[)）]?$/u.test(t);
}

/** The history lines right under a title and the latest version they name. */
export interface History {
  lines: string[];
  version?: DocVersion;
  /** Index of the first block after the history. */
  next: number;
}

/**
 * Reads the dated history lines that follow a law's or regulation's title ("…会议通过",
 * "…修订", "国务院令第N号公布", "2008年1月1日 施行"), and the stray pieces the source split off
 * them (a lone "根据" or "）"). The version is the latest dated 通过/修订/修正/公布/发布/批准.
 */
export function readHistory(blocks: Block[], from: number): History {
  const lines: string[] = [];
  let version: DocVersion | undefined;
  let k = from;
  for (; k < blocks.length; k++) {
    const b = blocks[k]!;
    if (b.kind !== 'para') break;
    const t = b.text.trim();
    const dated = DATED.exec(t);
    const stray = /^[（(）)]?\s*(?:根据|[（(）)])\s*$/u.test(t);
    // "2013年2月26日 青岛市第十五届人民代表大会常务委员会" / "第九次会议通过": the source broke the line
    const rest = lines.length > 0 && !dated && !stray && CONTINUED.test(t) && !detectMarker(t);
    if (!dated && !stray && !rest) break;
    if (dated && t.length > 400) break;
    const text = b.lines.join(' ').trim() || t;
    if (rest) lines[lines.length - 1] = `${lines[lines.length - 1]}${text}`;
    else lines.push(text);
    if (!dated && !rest) continue;
    const line = lines[lines.length - 1]!;
    const start = DATED.exec(line);
    if (!start) continue;
    const action = ACTIONS.find((a) => line.includes(a));
    const date = parseChineseDate(line.slice(0, start[0].length));
    if (action && date && (!version || date >= version.date)) version = { date, action };
  }
  return version ? { lines, version, next: k } : { lines, next: k };
}

/** The document's identity key (see PolicyDocument.docKey). */
export function docKeyOf(docNumber: string, title: string, version?: DocVersion): string {
  if (docNumber) return docNumber;
  return version ? `${title}@${version.date}` : title;
}
