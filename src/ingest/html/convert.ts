import { isTag, type Document, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { ParseWarning } from '../../corpus/types.ts';
import { PolicyBotError } from '../../errors.ts';
import { parseDocNumberLine } from '../../text/docnumber.ts';
import { normalizeKey } from '../../text/normalize.ts';
import { garbledReason } from '../garbled.ts';
import { withPageMap } from '../page-map.ts';
import { findArticle, isChrome } from './article.ts';
import { decodeHtml } from './charset.ts';
import { renderBlocks } from './render.ts';

/** A web page turned into the markdown the structure parser reads. */
export interface ConvertedPage {
  /** Markdown with the source header line (see page-map.ts). */
  text: string;
  title: string;
  docNumber?: string;
  warnings: ParseWarning[];
}

const LABELS = '标题|名称|发文字号|文号|发文机关|成文日期|发布日期|索引号|主题分类|公文种类';
// a label before a colon may be spaced out to the width of the others ("标　　题：", "索 引 号：")
const SPACED = LABELS.split('|')
  .map((l) => [...l].join('[ \\u3000]*'))
  .join('|');
const FIELD = new RegExp(`(?<=^|[\\t\\s])(?:【(${LABELS})】\\s*[:：]?|(${SPACED})\\s*[:：])[\\t ]*([^\\t【]*)`, 'gu');

/** The fields of a CMS metadata block (【发文字号】, [标　题], 标　　题：…), by label without spaces. */
export function pageMetadata(blocks: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      // [标　　题] → 【标题】: brackets unified, label spacing removed
      const row = line.replace(/[【[［]([^】\]］]{1,16})[】\]］]/gu, (_m, inner: string) => `【${inner.replace(/[\s\u3000]+/g, '')}】`);
      for (const m of row.matchAll(FIELD)) {
        const key = m[1] ?? m[2]!.replace(/[ \u3000]+/g, '');
        const value = m[3]!.trim();
        if (!out.has(key) && value) out.set(key, value);
      }
    }
  }
  return out;
}

function metaContent(doc: Document, name: string): string | undefined {
  const m = DomUtils.findOne((e) => e.name === 'meta' && (e.attribs.name ?? '').toLowerCase() === name.toLowerCase(), doc.children);
  return m?.attribs.content?.trim() || undefined;
}

/** The page title without the site name ("标题_北京市人民政府网站" → "标题"). */
function pageTitle(doc: Document): string | undefined {
  const t = DomUtils.findOne((e) => e.name === 'title', doc.children);
  const text = t ? DomUtils.textContent(t).replace(/\s+/g, ' ').trim() : '';
  return text.split(/\s*(?:[_|｜]|\s-\s|——)\s*/)[0]?.trim() || undefined;
}

/**
 * Converts a government CMS page: decoded by its meta charset, the article body found (see
 * findArticle), navigation, breadcrumbs, share widgets and footers dropped, tables kept as rows.
 * The title and 文号 come from the metadata block (【标题】, 【发文字号】) or the page's meta tags
 * when the body does not carry them itself. Refuses a page without article text (INPUT_EMPTY)
 * and text that fails the garbled check (INPUT_GARBLED).
 */
export function htmlToMarkdown(bytes: Uint8Array, source: string): ConvertedPage {
  const html = decodeHtml(bytes, source);
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const article = findArticle(doc.children);
  const body = article ? renderBlocks([article]) : [];
  if (body.join('').replace(/\s/g, '').length < 20) {
    throw new PolicyBotError('INPUT_EMPTY', `${source}: no article text found in the page (is it a list or search page rather than a document?)`, { source });
  }
  const meta = pageMetadata(renderBlocks(doc.children, true));
  const heading = articleHeading(doc);
  const title = meta.get('标题') ?? meta.get('名称') ?? metaContent(doc, 'ArticleTitle') ?? heading ?? pageTitle(doc) ?? '';
  const numberText = meta.get('发文字号') ?? meta.get('文号') ?? metaContent(doc, 'fwzh');
  const docNumber = numberText && parseDocNumberLine(numberText) ? numberText.replace(/\s+/g, '') : undefined;

  // the body carries its own title and 文号 when they open it (the 文号 may come first)
  const top = body.slice(0, 3).map((b) => b.replace(/^#\s*/, ''));
  const titleAt = title ? top.findIndex((b) => normalizeKey(b) === normalizeKey(title)) : -1;
  const hasNumber = top.some((b) => b.length <= 40 && parseDocNumberLine(b));
  const out = [...body];
  if (titleAt >= 0) {
    if (!hasNumber && docNumber) out.splice(titleAt + 1, 0, docNumber);
  } else {
    out.unshift(...[title ? `# ${title}` : '', !hasNumber && docNumber ? docNumber : ''].filter(Boolean));
  }
  const reason = garbledReason(out.join('\n'));
  if (reason) throw new PolicyBotError('INPUT_GARBLED', `${source}: refused, ${reason}`, { source });
  const lines = out.flatMap((b, i) => (i === 0 ? b.split('\n') : ['', ...b.split('\n')]));
  return { text: withPageMap('html', lines), title, ...(docNumber ? { docNumber } : {}), warnings: [] };
}

/** The document's heading as the CMS sets it: the first h1/h2 or title-class element outside chrome. */
function articleHeading(doc: Document): string | undefined {
  const h = DomUtils.findOne(
    (e) => (/^h[12]$/.test(e.name) || /(?:^|\s)(?:title|article-title|biaoti|bt|tit)(?:\s|$)/i.test(e.attribs.class ?? '')) && !insideChrome(e),
    doc.children,
  );
  const t = h ? DomUtils.textContent(h).replace(/\s+/g, '').trim() : '';
  return t.length >= 4 && t.length <= 100 ? t : undefined;
}

function insideChrome(e: Element): boolean {
  for (let n: Element | null = e; n; n = n.parent && isTag(n.parent) ? n.parent : null) if (isChrome(n)) return true;
  return false;
}
