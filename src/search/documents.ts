import Fuse from 'fuse.js';
import { findDocNumbers, formatDocNumber } from '../text/docnumber.ts';
import { normalizeKey } from '../text/normalize.ts';
import type { IndexedDoc, SearchIndex } from './index.ts';

const fuses = new WeakMap<SearchIndex, Fuse<IndexedDoc>>();

/**
 * Finds one document from what a person types: a 文号 in any form ("川办发52号"), else its title
 * or part of it ("金融支持小微企业"), matched fuzzily by fuse.js over the titles.
 */
export function findDocument(index: SearchIndex, text: string): IndexedDoc | undefined {
  const key = normalizeKey(index.tools.toSimplified(text));
  if (!key) return undefined;
  const ref = findDocNumbers(key, index.docPrefixes)[0];
  if (ref) {
    return index.docs.find(
      (d) =>
        d.doc.docNumber === formatDocNumber(ref) ||
        (ref.year === undefined && d.number?.prefix === ref.prefix && d.number.serial === ref.serial),
    );
  }
  const exact = index.docs.find((d) => d.titleKey.includes(key));
  if (exact) return exact;
  let fuse = fuses.get(index);
  if (!fuse) {
    fuse = new Fuse(index.docs, { keys: ['titleKey'], includeScore: true, ignoreLocation: true, threshold: 0.4, minMatchCharLength: 2 });
    fuses.set(index, fuse);
  }
  const [best] = fuse.search(key, { limit: 1 });
  return best && (best.score ?? 1) <= 0.4 ? best.item : undefined;
}
