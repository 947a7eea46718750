/** What the PDF front-end reads from a page, before any layout decision. */

/** One text run as pdf.js reports it, in page units (PDF points, origin bottom-left). */
export interface TextRun {
  text: string;
  /** Start of the run along the writing direction's cross axis (x for horizontal text). */
  x: number;
  /** Baseline y for horizontal text; top of the first glyph for vertical text. */
  y: number;
  /** Length of the run along its writing direction. */
  advance: number;
  /** Font size (glyph height for horizontal text). */
  size: number;
  /** True for vertical (top-to-bottom) writing. */
  vertical: boolean;
}

/** One page of a PDF: its size, text runs and whether it paints images. */
export interface PdfPage {
  /** 1-based physical page number. */
  index: number;
  width: number;
  height: number;
  /** The PDF's page label (/PageLabels), when the file defines one. */
  label?: string;
  runs: TextRun[];
  /** Number of images painted on the page (computed only for pages without text). */
  images: number;
  /** Glyphs left out because they have no text: Type3 drawings without a character (type3Filter). */
  unmapped?: number;
}

/**
 * One reconstructed line, in reading coordinates: `x0`..`x1` along the line from the page's
 * leading edge, `y` the distance of the line from the top of the page.
 */
export interface PdfLine {
  /** The line's text; table cells separated by tabs. */
  text: string;
  /** Where each tab-separated cell starts, for a table row. */
  cells?: number[];
  /** On a two-column page: 0 for the left column, 1 for the right; absent for a line across. */
  column?: number;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** Extent of the page along the line direction (page width for horizontal text). */
  span: number;
  /** Extent across lines (page height for horizontal text). */
  depth: number;
}
