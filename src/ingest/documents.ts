import type { Clause, ParseWarning, PolicyDocument } from '../corpus/types.ts';
import { formatDocNumber, parseDocNumberLine } from '../text/docnumber.ts';
import { normalizeKey, squeezeCjkSpaces } from '../text/normalize.ts';
import type { Block } from './blocks.ts';
import { detectMarker } from './numbering.ts';
import { isDateLine, parseChineseDate, repairPageBreaks } from './repair.ts';
import { splitRunOnArticles } from './articles.ts';
import { docKeyOf, isHistoryLine, readHistory, type History } from './history.ts';
import { buildClauses } from './structure.ts';

/** Where one document lies in the block list. */
export interface DocSpan {
  /** First block of the document (its title, or its 文号 when the title comes after it). */
  titleStart: number;
  numberAt: number;
  /** First block after the title and 文号. */
  bodyFrom: number;
  /** "" for a document without 文号 (a law or regulation known by its title). */
  docNumber: string;
  title: string;
  /** Dated history lines under the title (documents without 文号). */
  history?: History;
  /**
   * The title of the text the document issues, when the file names it above the notice's own title
   * ("工资支付暂行规定" over "关于印发《工资支付暂行规定》的通知"): the title of what follows the signature.
   */
  issuedTitle?: string;
}

/** Finds documents: title heading(s) followed by a standalone 文号 line. */
export function findDocumentSpans(blocks: Block[], from: number): DocSpan[] {
  const spans: DocSpan[] = [];
  let floor = from;
  for (let k = from; k < blocks.length; k++) {
    const b = blocks[k]!;
    const dn = b.text.length <= 40 ? parseDocNumberLine(b.text) : undefined;
    if (!dn) continue;
    let j = k;
    while (j - 1 >= floor && k - (j - 1) <= 3 && isTitleBlock(blocks[j - 1]!, k - j === 0)) j--;
    if (j < k) {
      const line = (x: Block): string => x.text.replace(/\n/g, '');
      const title = squeezeCjkSpaces(blocks.slice(j, k).map(line).join(''));
      const span: DocSpan = { titleStart: j, numberAt: k, bodyFrom: k + 1, docNumber: formatDocNumber(dn), title };
      // two whole titles, not one broken over lines: the notice (nearest the 文号) and the text it issues
      const notice = squeezeCjkSpaces(line(blocks[k - 1]!));
      const issued = squeezeCjkSpaces(
        blocks
          .slice(j, k - 1)
          .map(line)
          .join(''),
      );
      if (issued && quotesTitle(notice, issued)) Object.assign(span, { title: notice, issuedTitle: issued });
      spans.push(span);
      floor = k + 1;
      continue;
    }
    // some documents put the 文号 first and the title under it
    const below = blocks[k + 1];
    if (
      below &&
      isTitleBlock(below, true) &&
      !/[：:]$/.test(below.text) &&
      /关于|通知|意见|办法|规定|决定|方案|规划|细则|公告|通告|批复|报告|条例/.test(below.text)
    ) {
      spans.push({ titleStart: k, numberAt: k, bodyFrom: k + 2, docNumber: formatDocNumber(dn), title: squeezeCjkSpaces(below.text.replace(/\n/g, '')) });
      floor = k + 2;
    }
    // otherwise a 文号 standing alone is a reference, not a document start
  }
  return spans;
}

/** "关于印发《国家机关、事业单位贯彻<国务院关于职工工作时间的规定>的实施办法》的通知" quotes 国家机关、事业单位贯彻《国务院关于职工工作时间的规定》的实施办法 (inner 《》 written <> or 〈〉). */
function quotesTitle(notice: string, title: string): boolean {
  const plain = (t: string): string => normalizeKey(t).replace(/[<〈]/g, '《').replace(/[>〉]/g, '》');
  return /印发|发布|颁布|转发/.test(notice) && plain(notice).includes(`《${plain(title)}》`);
}

function isTitleBlock(b: Block, nearest: boolean): boolean {
  const t = b.text.trim();
  if (detectMarker(t) || isDateLine(t) || parseDocNumberLine(t)) return false;
  if (b.kind === 'heading') return t.length <= 80;
  // a plain first line as title (single documents typed without '#')
  return nearest && b.kind === 'para' && t.length <= 80 && !/[。；：:]$/.test(t) && !t.includes('\n');
}

/** Cuts a document's body into addressees, sections (body + attachments) and signature, then clauses. */
export function parseDocument(blocks: Block[], span: DocSpan, end: number, warnings: ParseWarning[]): PolicyDocument {
  const body = splitRunOnArticles(repairPageBreaks(blocks.slice(span.bodyFrom, end)).blocks);
  const version = span.history?.version;
  const doc: PolicyDocument = {
    docNumber: span.docNumber,
    docKey: docKeyOf(span.docNumber, span.title, version),
    title: span.title,
    attachments: [],
    clauses: [],
    line: blocks[span.titleStart]!.line,
  };
  if (span.history && span.history.lines.length > 0) doc.history = span.history.lines;
  if (version) doc.version = version;
  const issuer = /^(.{2,30}?)关于/.exec(span.title)?.[1];
  if (issuer) doc.issuer = issuer;
  let i = repeatedTitleEnd(body, span.title);
  const first = body[i];
  if (first && first.kind === 'para' && /[：:]$/.test(first.text) && first.text.length <= 200 && !detectMarker(first.text)) {
    doc.addressees = first.text;
    i = 1;
  }
  // Signature: an organisation line and a date line, in one block or two.
  let sigStart = -1;
  let sigEnd = -1;
  for (let k = i; k < body.length; k++) {
    const b = body[k]!;
    const lines = b.lines.map((l) => l.trim()).filter(Boolean);
    const last = lines[lines.length - 1] ?? '';
    if (b.kind !== 'para' || !isDateLine(last)) continue;
    doc.signDate = parseChineseDate(last);
    if (lines.length >= 2) {
      doc.signer = squeezeCjkSpaces(lines.slice(0, -1).join(''));
      sigStart = k;
    } else {
      const names = signerBlocksBefore(body, k, i);
      if (names.length > 0) doc.signer = names.join('、');
      sigStart = k - names.length;
    }
    sigEnd = k + 1;
    break;
  }
  const sections: Block[][] = [];
  const labels: string[] = [];
  if (sigStart < 0) sections.push(body.slice(i));
  else {
    sections.push(body.slice(i, sigStart));
    let rest = body.slice(sigEnd).filter((b) => !/^(抄送|印发|主题词)[:：]/.test(b.text));
    // "1995年1月1日 执行" under the signature: the issued text's history, not its title
    while (rest[0] && isHistoryLine(rest[0].text)) {
      (doc.history ??= []).push(rest[0].lines.join(' ').trim());
      rest = rest.slice(1);
    }
    let issued = span.issuedTitle;
    while (rest.length > 0) {
      const head = rest[0]!;
      const marker = detectMarker(head.text);
      const start = attachmentStart(rest, 0);
      // the text a notice issues often follows the signature under its own title line
      const titled = !marker && (head.kind === 'heading' || (isAttachmentTitle(head) && rest.length > 1));
      // the text issued, untitled here, is the one the file names above the notice's title
      const untitled = !start && !titled && marker?.type !== 'attachment';
      if (untitled && !issued) {
        sections[0]!.push(...rest);
        break;
      }
      // "京财教育〔2018〕2025号附件" above the title: the title is the next line
      let skip = untitled ? 0 : (start?.skip ?? (titled && /附件$/.test(head.text) && isAttachmentTitle(rest[1]) ? 2 : 1));
      let title = untitled ? issued! : (start?.title ?? (skip === 2 ? rest[1]!.text : marker?.rest || head.text));
      issued = undefined;
      // a title broken over lines: "…需求评估" / "与改造实施管理办法" / "(试行)"
      while (
        titled &&
        skip < 4 &&
        rest[skip + 1] &&
        isAttachmentTitle(rest[skip]) &&
        rest[skip]!.text.length <= 30 &&
        (title + rest[skip]!.text).length <= 80
      ) {
        title += rest[skip]!.text;
        skip++;
      }
      doc.attachments.push(title.replace(/[。.]$/, ''));
      labels.push(start?.label ?? '');
      const next = rest.findIndex((_, n) => n >= skip && attachmentStart(rest, n) !== undefined);
      const stop = next < 0 ? rest.length : next;
      sections.push(rest.slice(skip, stop));
      rest = rest.slice(stop);
    }
  }
  splitInlineAttachments(sections, doc.attachments, labels);
  if (labels.some(Boolean)) doc.attachmentLabels = labels;
  const clauses: Clause[] = [];
  sections.forEach((blocksOfSection, section) => {
    clauses.push(...buildClauses({ docNumber: doc.docNumber, docKey: doc.docKey, section, blocks: blocksOfSection, warnings }));
  });
  stripGluedSignature(
    clauses,
    [doc.signer, ...(doc.signer?.split('、') ?? []), doc.issuer].filter((x): x is string => !!x),
    warnings,
  );
  doc.clauses = clauses;
  if (clauses.length === 0) warnings.push({ line: doc.line, message: `${doc.docNumber || doc.title}: document has no text` });
  return doc;
}

/**
 * The title printed again at the top of the body, often broken over lines ("国际邮轮在中华人民共和国港口"
 * / "靠港补给的规定"): where the body starts after it (0 when the body does not repeat the title).
 */
function repeatedTitleEnd(body: Block[], title: string): number {
  const want = title.replace(/[\s\u3000]+/gu, '');
  let seen = '';
  for (let k = 0; k < Math.min(body.length - 1, 4); k++) {
    const b = body[k]!;
    if (b.kind === 'table' || b.text.length > 80) return 0;
    seen += b.text.replace(/[\s\u3000]+/gu, '');
    if (seen === want) return k + 1;
    if (!want.startsWith(seen)) return 0;
  }
  return 0;
}

/** An issuing body: 北京市财政局, 北京市人民政府征兵办公室, 北京市老龄工作委员会. */
const ORGANISATION = /(?:局|委|会|院|厅|部|办|府|室|处|署|组|所|中心|集团|公司|银行|馆|站|团|社|联)$/u;

/**
 * The signature lines right above its date line: the nearest short line, and above it further
 * lines naming issuing bodies — a joint notice signs with one body per line (京教财〔2020〕22号
 * has six). Returns their texts, top first.
 */
function signerBlocksBefore(body: Block[], dateAt: number, from: number): string[] {
  const names: string[] = [];
  for (let k = dateAt - 1; k >= from && dateAt - k <= 8; k--) {
    const b = body[k]!;
    const t = b.text.trim();
    if (b.kind !== 'para' || t.length > 30 || /[。，；：:]/.test(t) || detectMarker(t)) break;
    // only bodies stack up: a nearest line that is not one (a person's name) stands alone
    if (names.length > 0 && !(ORGANISATION.test(t) && ORGANISATION.test(names[0]!))) break;
    names.unshift(squeezeCjkSpaces(t));
  }
  return names;
}

/** "…建设。绵阳市人民政府办公室": a page footer or signature glued to the last sentence is not clause text. */
function stripGluedSignature(clauses: Clause[], names: string[], warnings: ParseWarning[]): void {
  for (const c of clauses) {
    for (const name of names) {
      if (c.text.length > name.length + 1 && c.text.endsWith(name) && /[。；！？]$/.test(c.text.slice(0, -name.length))) {
        c.text = c.text.slice(0, -name.length);
        warnings.push({ line: c.line, message: `removed "${name}" glued after the last sentence` });
      }
    }
  }
}

/**
 * "附件1" (or "附件1：标题") standing alone inside the body, with its title on the next line:
 * an attachment that was not set apart by a signature (京教财〔2020〕22号 puts its six 细则,
 * each restarting 第一条, after the 办法). Each becomes its own section so its numbering
 * stays its own. "附件：1.……" (a list of attachments) is not a start.
 */
function splitInlineAttachments(sections: Block[][], titles: string[], labels: string[]): void {
  const outSections: Block[][] = [];
  const outTitles: string[] = [];
  const outLabels: string[] = [];
  sections.forEach((body, n) => {
    if (n > 0) {
      outTitles.push(titles[n - 1]!);
      outLabels.push(labels[n - 1] ?? '');
    }
    const starts = body.flatMap((_, k) => {
      const a = attachmentStart(body, k);
      return a ? [{ k, ...a }] : [];
    });
    outSections.push(starts.length ? body.slice(0, starts[0]!.k) : body);
    starts.forEach((a, i) => {
      outTitles.push(a.title.replace(/[。.]$/, ''));
      outLabels.push(a.label);
      outSections.push(body.slice(a.k + a.skip, starts[i + 1]?.k ?? body.length));
    });
  });
  sections.splice(0, sections.length, ...outSections);
  titles.splice(0, titles.length, ...outTitles);
  labels.splice(0, labels.length, ...outLabels);
}

/**
 * "附件2" on its own line with the title on the next, or "附件2：标题": where an attachment
 * starts, its title and how many blocks the start takes. "附件：1.……" (a list) is none.
 */
function attachmentStart(blocks: Block[], k: number): { title: string; skip: number; label: string } | undefined {
  const b = blocks[k]!;
  const m = detectMarker(b.text);
  if (m?.type !== 'attachment' || !/^附\s*件\s*[\d一二三四五六七八九十]/.test(b.text.trim())) return undefined;
  if (m.rest.length > 60 || /[。；]/.test(m.rest) || detectMarker(m.rest)) return undefined;
  const label = `附件${m.number}`;
  if (m.rest) return { title: m.rest, skip: 1, label };
  return isAttachmentTitle(blocks[k + 1]) ? { title: blocks[k + 1]!.text, skip: 2, label } : undefined;
}

function isAttachmentTitle(b: Block | undefined): boolean {
  return !!b && b.kind !== 'table' && b.text.length <= 80 && !/[。；]/.test(b.text) && !detectMarker(b.text);
}

/** An issue number line under a masthead: 第 15 号, 2013年第13期, 总第263期. */
const ISSUE_NUMBER = /^(?:\d{4}\s*年\s*)?(?:总\s*)?第\s*[0-9〇零一二三四五六七八九十百]+\s*[号期]/;

/**
 * A document without 文号: the file's first line is its title (kept exactly as written), then
 * optional dated history lines ("2008年7月25日 …会议通过"), then the body. Laws, regulations and
 * rules carry no 文号 (nor do many notices republished on the web); their title is their name.
 */
export function findUnnumberedDocument(blocks: Block[]): DocSpan | undefined {
  const first = blocks[0];
  if (!first || first.kind === 'table') return undefined;
  const title = (first.kind === 'heading' ? first.lines[0]! : first.text).trim();
  if (!title || title.length > 120 || (first.kind === 'para' && /[。；：:]$/.test(title))) return undefined;
  // a bulletin's masthead ("绵阳市人民政府公报" over "第 15 号") names an issue, not a document
  if (/公报$/.test(title) && ISSUE_NUMBER.test(blocks[1]?.text.trim() ?? '')) return undefined;
  const history = readHistory(blocks, 1);
  const body = blocks.slice(history.next);
  if (history.lines.length === 0 && !body.some((b) => b.kind === 'table' || b.text.length >= 10)) return undefined;
  return { titleStart: 0, numberAt: 0, bodyFrom: history.next, docNumber: '', title, history };
}
