import Fuse from 'fuse.js';
import { findDocNumbers, formatDocNumber } from '../text/docnumber.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { IndexedDoc, SearchIndex } from './inverted-index.ts';

const fuses = new WeakMap<SearchIndex, Fuse<IndexedDoc>>();

/**
 * Finds one document from what a person types: a 文号 in any form ("川办发52号"), else its title
 * or part of it ("金融支持小微企业"), else a short name ("重庆低保条例" for 重庆市城乡居民最低生活保障条例,
 * see findByShortName), else fuzzily by fuse.js over the titles.
 */
export function findDocument(index: SearchIndex, text: string, opts: { fuzzy?: boolean } = {}): IndexedDoc | undefined {
  const key = normalizeKey(index.tools.toSimplified(text));
  if (!key) return undefined;
  const ref = findDocNumbers(key, index.docPrefixes)[0];
  if (ref) {
    return index.docs.find(
      (d) => d.doc.docNumber === formatDocNumber(ref) || (ref.year === undefined && d.number?.prefix === ref.prefix && d.number.serial === ref.serial),
    );
  }
  const exact = index.docs.find((d) => d.titleKey === key) ?? findTitleHolding(index, key);
  if (exact) return exact;
  const short = findByShortName(index, key);
  if (short || opts.fuzzy === false) return short;
  let fuse = fuses.get(index);
  if (!fuse) {
    fuse = new Fuse(index.docs, { keys: ['titleKey'], includeScore: true, ignoreLocation: true, threshold: 0.4, minMatchCharLength: 2 });
    fuses.set(index, fuse);
  }
  const [best] = fuse.search(key, { limit: 1 });
  if (!best || (best.score ?? 1) > 0.4) return undefined;
  // "上海社会救助条例" is not 浙江省社会救助条例: a place that starts other titles must be in this one
  const head = key.slice(0, 2);
  if (!best.item.titleKey.includes(head) && index.docs.some((d) => d.titleKey.startsWith(head))) return undefined;
  return best.item;
}

/**
 * The title that holds `key` ("民族区域自治法"), best first: one that names it outside 《》 (the law
 * itself, not "国务院实施《中华人民共和国民族区域自治法》若干规定"), then the shortest.
 */
function findTitleHolding(index: SearchIndex, key: string): IndexedDoc | undefined {
  let best: IndexedDoc | undefined;
  let bestRank = [Infinity, Infinity];
  for (const d of index.docs) {
    if (!d.titleKey.includes(key)) continue;
    const rank = [quotedOnly(d.titleKey, key) ? 1 : 0, d.titleKey.length];
    if (rank[0]! < bestRank[0]! || (rank[0] === bestRank[0] && rank[1]! < bestRank[1]!)) [best, bestRank] = [d, rank];
  }
  return best;
}

/** True when every place `key` stands in `title` is inside 《…》: the title quotes it. */
function quotedOnly(title: string, key: string): boolean {
  for (let at = title.indexOf(key); at >= 0; at = title.indexOf(key, at + 1)) {
    const before = title.slice(0, at);
    if (before.lastIndexOf('《') <= before.lastIndexOf('》')) return false;
  }
  return true;
}

/**
 * The document whose whole title is typed in `key` (normalised text), starting a word (at the
 * start, or after a space or punctuation such as 《): the longest such title, so that
 * "国务院实施《中华人民共和国民族区域自治法》若干规定第一条" names that 规定, not the law whose title
 * it quotes, and "中华人民共和国民法典物权编" names that book; "北京物业管理条例" is no 物业管理条例. The
 * title is matched as typed, before question words, punctuation or typo repair change it ("诈骗法"
 * is no typo of "诈骗犯"); titles of three characters or fewer never match.
 */
export function findTitleIn(index: SearchIndex, key: string): IndexedDoc | undefined {
  let best: IndexedDoc | undefined;
  for (const d of index.docs) {
    const t = d.titleKey;
    if (t.length <= (best?.titleKey.length ?? 3)) continue;
    let at = key.indexOf(t);
    while (at > 0 && /[\p{L}\p{N}]/u.test(key[at - 1]!)) at = key.indexOf(t, at + 1);
    if (at >= 0) best = d;
  }
  return best;
}

/** Words a person leaves out of a name, or adds to it: places' 省/市, 中华人民共和国, 国务院 (the issuer), its year, 关于, 的 … */
const FILLER = /\d{4}年|中华人民共和国|国务院|人民政府|自治区|自治州|自治县|关于|印发|实施|暂行|的|省|市|县|区/gu;
/** Kinds of document a name ends in. */
const KINDS = '法|条例|规定|办法|细则|规则|决定|通知|意见|方案|规划|章程|准则';
/** A name ends in the kind of document: 条例, 办法, 法 … (so "工作规则" alone names no document). */
const KIND = new RegExp(`(?:${KINDS})$`, 'u');
/** The words after a name's last kind of document, or after a book of a code (民法典物权编). */
const AFTER_NAME = new RegExp(`(${KINDS}|编)[^法例定则知见案划程编]*$`, 'u');

/**
 * The name in words typed before a question: up to its last kind of document ("城市低保条例说的什么"
 * → 城市低保条例); "民法典物权编" stays whole, not 民法 (cut after the 法 of 民法典).
 */
export function nameBeforeQuestion(text: string): string {
  return text.replace(AFTER_NAME, '$1');
}

/**
 * A short name: "重庆低保条例", "广东失业保险条例". Its characters, without filler words, must
 * appear in order in the title and it must end in a kind of document (条例, 办法 …). Among
 * titles that qualify, the one the name covers best (shortest title) wins; a tie is no match.
 */
export function findByShortName(index: SearchIndex, key: string): IndexedDoc | undefined {
  if (!KIND.test(key)) return undefined;
  const name = key.replace(FILLER, '');
  if (name.length < 4) return undefined;
  let best: IndexedDoc | undefined;
  let bestLen = Infinity;
  let tie = false;
  for (const d of index.docs) {
    if (!isSubsequence(name, d.titleKey) || !d.titleKey.includes(key.match(KIND)![0])) continue;
    const len = d.titleKey.replace(FILLER, '').length;
    if (len < bestLen) {
      best = d;
      bestLen = len;
      tie = false;
    } else if (len === bestLen && d.titleKey !== best?.titleKey) tie = true;
  }
  return tie ? undefined : best;
}

function isSubsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (const ch of hay) if (ch === needle[i]) i++;
  return i === needle.length;
}

/**
 * The document a question names as a whole ("北京市居家养老服务条例讲的什么", "2014年国务院的社会救助暂行办法"):
 * its topic words end in a kind of document (条例, 办法 …) and every one of them is in one title
 * (or is a year, the issuer, a filler word), allowing one added word when there are three or more
 * ("北京的物业管理地方条例"). Undefined when words follow the name ("物业管理条例中业主委员会备案时限"
 * asks about a part of it) or two titles fit equally.
 */
export function findNamedDocument(
  index: SearchIndex,
  runs: readonly string[],
  words: ReadonlyArray<{ text: string; expansions: readonly string[] }>,
): IndexedDoc | undefined {
  const name = runs.join('');
  const kind = KIND.exec(name)?.[0];
  if (!kind || name.length < 4) return undefined;
  const allowed = words.length >= 3 ? 1 : 0;
  let best: IndexedDoc | undefined;
  let bestKey = [Infinity, Infinity];
  let tie = false;
  for (const d of index.docs) {
    if (!d.titleKey.includes(kind)) continue;
    let misses = 0;
    for (const w of words) {
      const inTitle =
        d.titleKey.includes(w.text) || w.expansions.some((e) => d.titleKey.includes(e)) || /^\d+$/.test(w.text) || w.text.replace(FILLER, '') === '';
      if (!inTitle && ++misses > allowed) break;
    }
    if (misses > allowed) continue;
    const key = [misses, d.titleKey.length];
    if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && key[1]! < bestKey[1]!)) {
      best = d;
      bestKey = key;
      tie = false;
    } else if (key[0] === bestKey[0] && key[1] === bestKey[1] && d.titleKey !== best?.titleKey) tie = true;
  }
  return tie ? undefined : best;
}
