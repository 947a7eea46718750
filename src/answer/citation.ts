import type { Clause, CorpusFile, DocVersion, IssueInfo, PageRange, PolicyDocument } from '../corpus/types.ts';
import { NUMERAL_CHAR, toChineseNumber } from '../text/numerals.ts';

/** Where a quoted clause comes from, in the fields external tools read. */
export interface Citation {
  /** 文号 without spaces; "" for a document without one (laws, 条例) */
  docNumber: string;
  /** The title; for a document without 文号, exactly as the file's first line. */
  docTitle: string;
  /** Headings above the clause, joined with " > " */
  heading: string;
  /** The full citation line to paste. */
  label: string;
  /** e.g. 绵阳市人民政府公报 2013年第13号（总第393号）; empty for a single document */
  bulletin: string;
  /** e.g. "25-27"; "31" when only the first page is known; the clause's own page when the source
   * was a PDF ("26"); empty when unknown */
  pages: string;
}

/** "绵阳市人民政府公报 2013年第13号（总第393号）" */
export function bulletinName(issue: IssueInfo | undefined): string {
  if (!issue) return '';
  const u = issue.unit ?? '号';
  return `${issue.publication} ${issue.year}年第${issue.number}${u}${issue.total !== undefined ? `（总第${issue.total}${u}）` : ''}`;
}

/** "2-8", or "31" when the end page is not known. */
export function formatPages(p: PageRange | undefined): string {
  if (!p) return '';
  return p.end === undefined || p.end === p.start ? String(p.start) : `${p.start}-${p.end}`;
}

/** "第25–27页", "第31页起". */
export function pagesLabel(p: PageRange | undefined): string {
  if (!p) return '';
  if (p.end === undefined) return `第${p.start}页起`;
  return p.end === p.start ? `第${p.start}页` : `第${p.start}–${p.end}页`;
}

/** A label ending in an article: 第十条, 第一千零四十二条. */
const ARTICLE_LABEL = new RegExp(`第(?:${NUMERAL_CHAR}|\\d)+条$`);

/** The clause's place in its document: "三、（十四）", "二、（二）第3段", "第十条第二款", "正文". */
export function clauseLabel(clause: Clause): string {
  if (clause.paragraph <= 1) return clause.label;
  // the paragraphs of an article are its 款
  if (ARTICLE_LABEL.test(clause.label)) return `${clause.label}第${toChineseNumber(clause.paragraph)}款`;
  return `${clause.label}第${clause.paragraph}段`;
}

/** "2016年修订": how a citation names the version of a document without 文号. */
export function versionLabel(version: DocVersion | undefined): string {
  return version ? `${version.date.slice(0, 4)}年${version.action}` : '';
}

/** "《标题》（文号）", or for a document without 文号 "《标题》（2016年修订）" / "《标题》". */
export function documentName(doc: PolicyDocument): string {
  const tag = doc.docNumber || versionLabel(doc.version);
  return `《${doc.title}》${tag ? `（${tag}）` : ''}`;
}

/**
 * Builds the citation of a clause: 《标题》（文号）条款 · 公报 期号 · 页码; for a document without
 * 文号, 《标题》条款 (2016年修订). The page is the clause's own printed page when known (text from
 * a PDF), else the document's page range.
 */
export function citeClause(clause: Clause, doc: PolicyDocument, file: CorpusFile): Citation {
  const bulletin = bulletinName(file.issue);
  const pages: PageRange | undefined = clause.page !== undefined ? { start: clause.page, end: clause.page } : doc.pages;
  const where = [bulletin, pagesLabel(pages)].filter(Boolean).join(' · ');
  const attachment = clause.section > 0 ? doc.attachments[clause.section - 1] : undefined;
  // with several attachments that each restart 第一条, the number alone is ambiguous: 附件2第三条
  const inAttachment = attachment
    ? clause.path.length === 0
      ? `附件《${attachment}》`
      : doc.attachments.length > 1
        ? attachmentLabel(doc, clause.section)
        : ''
    : '';
  const version = doc.docNumber ? '' : versionLabel(doc.version);
  const head = doc.docNumber ? `《${doc.title}》（${doc.docNumber}）` : `《${doc.title}》`;
  const label = `${head}${inAttachment}${clauseLabel(clause)}${version ? ` (${version})` : ''}${where ? ` · ${where}` : ''}`;
  return {
    docNumber: doc.docNumber,
    docTitle: doc.title,
    heading: clause.headings.join(' > '),
    label,
    bulletin,
    pages: formatPages(pages),
  };
}

/** "附件2": how the source numbers the attachment of a section (its position when unnumbered). */
export function attachmentLabel(doc: PolicyDocument, section: number): string {
  return doc.attachmentLabels?.[section - 1] || `附件${section}`;
}
