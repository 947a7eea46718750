import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { isChrome } from './article.ts';

const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'li',
  'ul',
  'ol',
  'dl',
  'dd',
  'dt',
  'blockquote',
  'pre',
  'center',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'tbody',
  'thead',
  'tfoot',
  'table',
  'body',
  'html',
  'hr',
  'address',
  'figure',
  'figcaption',
]);

/** Whitespace of a web page collapsed: runs of spaces, NBSP and full-width indent become one space. */
const collapse = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, ' ');

/** Inline text of a node, chrome left out, <br> as a line break. */
function inlineText(node: ChildNode, keepChrome: boolean): string {
  if (isText(node)) return collapse(node.data);
  if (!isTag(node) || (!keepChrome && isChrome(node))) return '';
  if (node.name === 'br') return '\n';
  return node.children.map((c) => inlineText(c, keepChrome)).join('');
}

const cellsOf = (tr: Element): Element[] => tr.children.filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'));

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  const walk = (n: Element): void => {
    for (const c of n.children) {
      if (!isTag(c) || c.name === 'table') continue;
      if (c.name === 'tr') rows.push(c);
      else walk(c);
    }
  };
  walk(table);
  return rows;
}

/** A data table: rows of two or more cells, no table inside it (else it lays out the page). */
function isDataTable(table: Element): boolean {
  const rows = rowsOf(table);
  if (rows.length === 0) return false;
  const hasInner = (n: Element): boolean => n.children.some((c) => isTag(c) && (c.name === 'table' || hasInner(c)));
  if (hasInner(table)) return false;
  return rows.filter((r) => cellsOf(r).length >= 2).length >= Math.max(1, rows.length * 0.6);
}

/**
 * Renders an element as the markdown the structure parser reads: every block (paragraph, list
 * item, heading, line break) its own paragraph, h1–h3 as `# ` headings, a data table as
 * tab-separated rows (one row a line), layout tables as the blocks they hold. Chrome inside
 * the article (share buttons, print links) is left out unless `keepChrome`.
 */
export function renderBlocks(root: ChildNode[], keepChrome = false): string[] {
  const blocks: string[] = [];
  let inline = '';
  const flush = (): void => {
    for (const piece of inline.split('\n')) {
      const t = piece.trim();
      if (t) blocks.push(t);
    }
    inline = '';
  };
  const walk = (n: ChildNode): void => {
    if (isText(n)) {
      inline += collapse(n.data);
      return;
    }
    if (!isTag(n) || (!keepChrome && isChrome(n))) return;
    if (n.name === 'br') {
      inline += '\n';
      return;
    }
    if (n.name === 'table' && isDataTable(n)) {
      flush();
      const rows = rowsOf(n)
        .map((r) => cellsOf(r).map((c) => inlineText(c, keepChrome).replace(/\s+/g, ' ').trim()))
        .filter((cells) => cells.some(Boolean))
        .map((cells) => cells.join('\t'));
      if (rows.length > 0) blocks.push(rows.join('\n'));
      return;
    }
    if (n.name === 'td' || n.name === 'th') {
      flush();
      n.children.forEach(walk);
      flush();
      return;
    }
    if (!BLOCK.has(n.name)) {
      n.children.forEach(walk);
      return;
    }
    flush();
    const heading = /^h[1-3]$/.test(n.name);
    n.children.forEach(walk);
    if (heading) inline = inline.trim() ? `# ${inline.replace(/\n/g, ' ').trim()}` : '';
    flush();
  };
  root.forEach(walk);
  flush();
  return blocks;
}
