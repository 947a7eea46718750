import { isTag, isText, type ChildNode, type Element } from 'domhandler';

/** Elements that never hold document text. */
const NEVER = new Set([
  'script',
  'style',
  'noscript',
  'iframe',
  'template',
  'svg',
  'canvas',
  'object',
  'embed',
  'form',
  'button',
  'select',
  'textarea',
  'input',
  'head',
  'link',
  'meta',
]);
/** Page chrome around the article. */
const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'aside']);
/** id/class words of page chrome: navigation, breadcrumbs, share widgets, footers, tools. */
const CHROME_WORDS =
  /(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|bread|position|location|weizhi|dqwz|share|bdshare|bdsharebuttonbox|social|footer|foot|copyright|sidebar|related|xgwz|xgxx|comment|toolbar|tools|print|login|search|banner|qrcode|erweima|fontsize|zihao|pager|paging)(?:[\s_-]|$)/i;
/** id/class words of the element CMSs put the document text in (TRS, 政府网站集约化平台, …). */
const CONTENT_WORDS =
  /(?:^|\s)(?:ucap-content|trs_editor|trs_editor_view|trs_paper_default|zoom|pages_content|article-content|article_content|art_con|artcon|maintext|textcontent|text-content|content_text|view_content|detail-content|zwnr|zw)(?:\s|$)/i;

const attrs = (e: Element): string => `${e.attribs.id ?? ''} ${e.attribs.class ?? ''}`;

/** True for navigation, breadcrumbs, share widgets, footers and other page chrome. */
export function isChrome(e: Element): boolean {
  return (
    NEVER.has(e.name) ||
    CHROME_TAGS.has(e.name) ||
    CHROME_WORDS.test(attrs(e)) ||
    e.attribs.hidden !== undefined ||
    /display\s*:\s*none/i.test(e.attribs.style ?? '')
  );
}

/** Visible text length of a node, chrome left out; `links` counts only text inside <a>. */
function textLength(node: ChildNode, inLink = false): { all: number; links: number } {
  if (isText(node)) {
    const n = node.data.replace(/\s+|&nbsp;/g, '').length;
    return { all: n, links: inLink ? n : 0 };
  }
  if (!isTag(node) || isChrome(node)) return { all: 0, links: 0 };
  let all = 0;
  let links = 0;
  for (const c of node.children) {
    const t = textLength(c, inLink || node.name === 'a');
    all += t.all;
    links += t.links;
  }
  return { all, links };
}

/** Every element outside page chrome, in document order. */
function visibleElements(nodes: ChildNode[], out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (!isTag(n) || isChrome(n)) continue;
    out.push(n);
    visibleElements(n.children, out);
  }
  return out;
}

function contains(outer: Element, inner: Element): boolean {
  for (let p = inner.parent; p; p = p.parent) if (p === outer) return true;
  return false;
}

const BLOCKISH = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'blockquote', 'pre']);

/**
 * Finds the element holding the document text. A container a CMS names for it (TRS_Editor, zoom,
 * UCAP-CONTENT, …) wins when it holds text; the innermost of nested ones that keeps most of the
 * text. Otherwise the element whose own paragraphs hold the most text that is not links (the
 * readability rule: a paragraph counts fully for its parent and half for its grandparent).
 */
export function findArticle(root: ChildNode[]): Element | undefined {
  const all = visibleElements(root);
  const named = all
    .filter((e) => CONTENT_WORDS.test(attrs(e)))
    .map((e) => ({ e, t: textLength(e) }))
    .filter((x) => x.t.all >= 20 && x.t.links < x.t.all * 0.5);
  if (named.length > 0) {
    const most = Math.max(...named.map((x) => x.t.all));
    const keep = named.filter((x) => x.t.all >= most * 0.8);
    // the innermost: one with no other kept container inside it
    return keep.find((x) => !keep.some((o) => o !== x && contains(x.e, o.e)))?.e ?? keep[0]!.e;
  }
  const score = new Map<Element, number>();
  const add = (e: Element | null | undefined, v: number): void => {
    if (e && isTag(e)) score.set(e, (score.get(e) ?? 0) + v);
  };
  for (const e of all) {
    const isPara = BLOCKISH.has(e.name) || (e.name === 'div' && e.children.some((c) => isText(c) && c.data.trim().length >= 20));
    if (!isPara || (e.parent && isTag(e.parent) && BLOCKISH.has(e.parent.name))) continue;
    const t = textLength(e);
    if (t.all < 10 || t.links > t.all * 0.5) continue;
    const parent = e.parent as Element | null;
    add(parent, t.all);
    add(parent?.parent as Element | null, t.all / 2);
  }
  let best: Element | undefined;
  let bestScore = 0;
  for (const [e, s] of score) {
    const t = textLength(e);
    const adjusted = s * (1 - t.links / Math.max(1, t.all));
    if (adjusted > bestScore) [best, bestScore] = [e, adjusted];
  }
  return best;
}
