import type { Clause, ClauseKind, ParseWarning } from '../corpus/types.ts';
import type { Block } from './blocks.ts';
import { departmentOfEntry, departmentsFromNote } from './departments.ts';
import { detectMarker, splitTitle, type Marker, type MarkerType } from './numbering.ts';
import { isTitleLine } from './repair.ts';

interface Frame {
  /** 'title': a division title printed without its number ("法律责任" between two articles). */
  type: MarkerType | 'heading' | 'title';
  label: string;
  heading: string;
}

/** Input of the structure pass: one section (the document body or one attachment). */
export interface SectionInput {
  docNumber: string;
  /** The document's identity (PolicyDocument.docKey); clause ids start with it. */
  docKey: string;
  section: number;
  blocks: Block[];
  warnings: ParseWarning[];
}

/**
 * Builds clauses from a section's blocks, taking structure from numbering (一、（一）1.（1）
 * 第X条 专栏N), never from markdown '#' levels, which PDF conversion gets wrong. A numbering
 * type already on the stack closes everything below it; a new type opens a deeper level.
 */
export function buildClauses(input: SectionInput): Clause[] {
  const stack: Frame[] = [];
  const clauses: Clause[] = [];
  const perPath = new Map<string, number>();

  const push = (frame: Frame): void => {
    // 编 > 分编 > 部分 > 章 > 节 > 条: a division closes every numbered frame of its rank or below
    const rank = RANK[frame.type];
    const at = stack.findIndex((f) => f.type === frame.type || (rank !== undefined && (RANK[f.type] ?? -1) >= rank));
    if (at >= 0) stack.length = at;
    stack.push(frame);
  };
  const add = (text: string, kind: ClauseKind, line: number, extra: Partial<Clause> = {}): void => {
    // articles are numbered through the whole document: 第十条, not 第二章第十条; headings and
    // titles printed without a number ("消防职责") have no label, so they are no step of the path
    // (an empty step would make a reference to any article under them name all of them)
    const article = stack.findIndex((f) => f.type === 'article');
    const path = stack.filter((f, k) => f.label !== '' && !(k < article && DIVISIONS.has(f.type))).map((f) => f.label);
    const key = `${input.section}:${path.join('')}`;
    const n = (perPath.get(key) ?? 0) + 1;
    perPath.set(key, n);
    const departments = kind === 'list-entry' ? [departmentOfEntry(text)!] : departmentsFromNote(text);
    const headings = stack.map((f) => f.heading).filter((h) => h.length > 0);
    if (extra.table?.title) headings.push(extra.table.title);
    if (extra.table?.group) headings.push(extra.table.group);
    const clause: Clause = {
      id: `${input.docKey}:${input.section}:${path.join('') || '正文'}:${n}`,
      docNumber: input.docNumber,
      section: input.section,
      path,
      label: path.join('') || '正文',
      headings,
      text,
      kind,
      paragraph: n,
      line,
      ...extra,
    };
    if (departments) clause.departments = departments;
    clauses.push(clause);
  };

  /**
   * "附件：1.申请表" (a list of attachments, one per line after it) or "附件：标题" inside a
   * section: it stands apart from the numbering above it (never an item of the last 条 or 七、),
   * and each listed attachment is a sibling under it. A bare "附件：" only heads the list.
   */
  const addAttachmentLine = (marker: Marker, block: Block): void => {
    stack.length = 0;
    push({ type: 'attachment', label: marker.label, heading: marker.label });
    const listed = detectMarker(marker.rest);
    if (listed) push({ type: listed.type, label: listed.label, heading: headingOf(listed.type, listed.label, splitTitle(listed.rest, 60, listed.type).title) });
    if (marker.rest.trim()) add(block.text, 'item', block.line);
  };

  input.blocks.forEach((block, i) => {
    if (block.kind === 'table') {
      addTable(block, add);
      return;
    }
    const marker = detectMarker(block.text);
    // "北京市城乡居民基本医疗保险办法实施细则" opening the section is the title of the text it
    // issues (already in the document's title 关于印发《…》的通知): structure, not a clause
    if (i === 0 && block.kind === 'para' && !marker && isTitleLine(block.text) && input.blocks.length > 1) return;
    if (marker?.type === 'attachment') {
      addAttachmentLine(marker, block);
      return;
    }
    if (block.kind === 'heading') {
      if (!marker) {
        push({ type: 'heading', label: '', heading: block.text.replace(/[。.]$/, '') });
        return;
      }
      const { title, runOn } = splitTitle(marker.rest, 60, marker.type);
      push({ type: marker.type, label: marker.label, heading: headingOf(marker.type, marker.label, title).replace(/[。.]$/, '') });
      if (runOn) add(block.text, 'item', block.line);
      return;
    }
    if (marker) {
      // an article's 项 ("（一）各类企业及其职工；") are text, never headings
      const inArticle = ITEMS.has(marker.type) && stack.some((f) => f.type === 'article');
      const { title, runOn } = inArticle ? { title: '', runOn: marker.rest } : splitTitle(marker.rest, 40, marker.type);
      push({ type: marker.type, label: marker.label, heading: inArticle ? '' : headingOf(marker.type, marker.label, title) });
      // "第一章 总则" or "（一）指导思想。" standing alone heads what follows, unless what follows
      // is a sibling of the same numbering (then it is a short item of a list)
      const next = input.blocks[i + 1];
      const nextMarker = next ? detectMarker(next.text) : undefined;
      const headingOnly =
        !runOn &&
        title.length > 0 &&
        next !== undefined &&
        next.kind !== 'heading' &&
        (DIVISIONS.has(marker.type) || !nextMarker || !stack.some((f) => f.type === nextMarker.type));
      if (!headingOnly) add(block.text, 'item', block.line);
      return;
    }
    // (also "总　则" above the first article, before any clause)
    const lawBody = stack.some((f) => f.type === 'article' || DIVISIONS.has(f.type)) || clauses.every((c) => c.section !== input.section);
    if (block.kind === 'para' && isBareTitle(block.text) && startsArticleOrDivision(input.blocks[i + 1]) && lawBody) {
      const title = block.text.replace(/[\s\u3000]+/gu, '');
      const top = stack[stack.length - 1];
      // "第三章 审议工作报告、地方性法规案和议案" / "审查国民经济…": the title went on over a line
      if (top && DIVISIONS.has(top.type) && detectMarker(input.blocks[i - 1]?.text ?? '')?.label === top.label) top.heading += title;
      else push({ type: 'title', label: '', heading: title });
      return;
    }
    // a plain paragraph after an article's items is the article's next 款, not part of its last 项
    const article = stack.findIndex((f) => f.type === 'article');
    if (article >= 0 && stack.slice(article + 1).every((f) => ITEMS.has(f.type))) stack.length = article + 1;
    // Lines of one block that are each "部门：负责…" are separate entries.
    const lines = block.text.split('\n');
    if (lines.length > 1 && lines.every((l) => departmentOfEntry(l))) {
      for (const l of lines) add(l, 'list-entry', block.line);
      return;
    }
    const text = block.text.replace(/\n/g, '');
    add(text, departmentOfEntry(text) ? 'list-entry' : 'paragraph', block.line);
  });
  return clauses;
}

const RANK: Partial<Record<Frame['type'], number>> = { book: 0, subbook: 1, part: 2, chapter: 3, title: 3, section: 4, article: 5 };

/** A short line without sentence punctuation or number: "法律责任", "附 则". */
function isBareTitle(text: string): boolean {
  const t = text.trim();
  return t.length >= 2 && t.length <= 30 && !t.includes('\n') && !/[。，；：:,;！？!?“”"]/.test(t) && !detectMarker(t) && !/^\d|\d{4}\s*年/.test(t);
}

function startsArticleOrDivision(b: Block | undefined): boolean {
  const m = b && b.kind !== 'table' ? detectMarker(b.text) : undefined;
  return !!m && (m.type === 'article' || DIVISIONS.has(m.type));
}

/** Divisions above articles: 第一编, 第一分编, 第一部分, 第一章, 第一节. */
const DIVISIONS = new Set<Frame['type']>(['book', 'subbook', 'part', 'chapter', 'section']);
/** Numbered items (项) inside an article. */
const ITEMS = new Set<Frame['type']>(['paren-cn', 'paren-num', 'num', 'circled']);

/**
 * The heading a frame shows: "第一章 总则" (spaces inside the title dropped: "总 则"), "三、工作目标";
 * an article (第十条) has no title, so it adds no heading.
 */
function headingOf(type: MarkerType, label: string, title: string): string {
  if (type === 'article') return '';
  if (DIVISIONS.has(type)) return title ? `${label} ${title.replace(/[\s\u3000]+/gu, '')}` : label;
  return `${label}${title}`;
}

function addTable(block: Block, add: (text: string, kind: ClauseKind, line: number, extra?: Partial<Clause>) => void): void {
  const rows = (block.rows ?? []).map((r) => {
    const cells = [...r];
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    return cells;
  });
  let title: string | undefined;
  let header: string[] | undefined;
  let group: string | undefined;
  for (const cells of rows) {
    const filled = cells.filter((c) => c !== '').length;
    if (filled === 0) continue;
    if (!header) {
      if (filled === 1) title = title ? `${title} ${cells.join('')}` : cells.join('');
      else header = cells;
      continue;
    }
    if (filled === 1 && cells[0] !== '') {
      group = cells[0];
      continue;
    }
    const parts: string[] = [];
    cells.forEach((c, j) => {
      if (c === '') return;
      const h = header![j];
      parts.push(h ? `${h}：${c}` : c);
    });
    const extra: Partial<Clause> = { table: { header, cells } };
    if (title) extra.table!.title = title;
    if (group) extra.table!.group = group;
    add(parts.join('；'), 'table-row', block.line, extra);
  }
}
