/** The structured, citable corpus: what ingestion produces and search consumes. */

/** A bulletin issue (公报 一期). */
export interface IssueInfo {
  /** e.g. 绵阳市人民政府公报 */
  publication: string;
  year: number;
  /** issue number within the year (第13号) */
  number: number;
  /** how the issue calls its numbers: 号 (第13号) or 期 (第2期) */
  unit?: '号' | '期';
  /** cumulative number (总第393号), when printed */
  total?: number;
  /** ISO date, e.g. 2013-07-15, when printed */
  date?: string;
  /** editor line, e.g. 绵阳市人民政府研究室编 */
  editor?: string;
}

/** One table-of-contents entry. */
export interface TocEntry {
  category?: string;
  title: string;
  docNumber?: string;
  page: number;
}

/** Page range of a document in its issue; `end` absent for the last one. */
export interface PageRange {
  start: number;
  end?: number;
}

/** What kind of text a clause is. */
export type ClauseKind = 'paragraph' | 'item' | 'list-entry' | 'table-row';

/** The unit of an answer: one paragraph, numbered item, list entry or table row. */
export interface Clause {
  /** Stable id: `${docKey}:${section}:${path}:${n}` (see PolicyDocument.docKey). */
  id: string;
  /** The document's 文号; "" for a document without one. */
  docNumber: string;
  /** 0 = the document itself; 1.. = embedded attachments (实施方案 inside a 通知). */
  section: number;
  /** Numbering markers from the top, e.g. ["三、", "（十四）"]. */
  path: string[];
  /** Human label of the path, e.g. "三、（十四）"; "正文" for unnumbered text. */
  label: string;
  /** Heading titles from the top, e.g. ["三、积极推进公立医院改革", "（十四）全面推进县级医院综合改革"]. */
  headings: string[];
  /** Verbatim text (whitespace and page-break repair only). */
  text: string;
  kind: ClauseKind;
  /** Paragraph number among clauses sharing this path (1-based). */
  paragraph: number;
  /** Responsible departments from notes like （卫生厅、财政厅负责） or a "市人社局：" entry. */
  departments?: string[];
  /** For table rows: the table's title and header cells, and the row's cells. */
  table?: { title?: string; header: string[]; cells: string[]; group?: string };
  /** 1-based source line. */
  line: number;
  /** Page of the source where the clause starts, when the front-end knows it (PDF). */
  page?: number;
}

/** The latest dated step of a document's history: "2016年3月31日 …会议修订" → 2016-03-31, 修订. */
export interface DocVersion {
  /** ISO date */
  date: string;
  /** 通过, 修订, 修正, 公布, 发布 or 批准 */
  action: string;
}

/** A policy document: a notice, opinion, plan, law, regulation … */
export interface PolicyDocument {
  /** 文号 without spaces, e.g. 川办发〔2013〕52号; "" for a document without one (laws, 条例). */
  docNumber: string;
  /**
   * Stable identity: the 文号 when there is one; otherwise the title exactly as in the file,
   * followed by "@" and the ISO date of the latest 通过/修订/修正/公布/发布/批准 step when the
   * document has a dated history ("重庆市失业保险条例@2022-05-31"), else the title alone.
   * Clause ids start with it. See docKeyOf.
   */
  docKey: string;
  /** The title; for a document without 文号, exactly as the file's first line. */
  title: string;
  /** Dated history lines under the title, verbatim ("2008年7月25日 …会议通过"). */
  history?: string[];
  /** The latest step of `history`, when dated. */
  version?: DocVersion;
  category?: string;
  issuer?: string;
  addressees?: string;
  signer?: string;
  /** ISO date of signature */
  signDate?: string;
  pages?: PageRange;
  /** Titles of embedded attachments (section 1..n). */
  attachments: string[];
  /**
   * How the source numbers each attachment ("附件2"; "" for an unnumbered one), parallel to
   * `attachments`; absent when none is numbered. "附件2第三条" resolves through it.
   */
  attachmentLabels?: string[];
  clauses: Clause[];
  line: number;
}

/** A non-fatal oddity found while parsing, with where it was. */
export interface ParseWarning {
  line: number;
  message: string;
}

/** The result of parsing one file: an issue with documents, or standalone documents. */
export interface ParsedFile {
  issue?: IssueInfo;
  toc: TocEntry[];
  documents: PolicyDocument[];
  warnings: ParseWarning[];
}

/** A parsed file as stored in the data directory. */
export interface CorpusFile extends ParsedFile {
  /** File name inside the data directory's bulletins folder. */
  file: string;
  /** sha256 of the file bytes. */
  hash: string;
}

/** Everything searchable: all files of the data directory. */
export interface Corpus {
  files: CorpusFile[];
}
