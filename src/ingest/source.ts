import { extname } from 'node:path';
import type { ParseWarning } from '../corpus/types.ts';
import { PolicyBotError } from '../errors.ts';
import { decodeBulletin } from './decode.ts';
import { garbledReason } from './garbled.ts';
import { pdfToMarkdown } from './pdf/convert.ts';

/** The formats `ingest` reads: markdown/text as is, PDF and web pages through a front-end. */
export type SourceFormat = 'pdf' | 'html' | 'text';

/** File name endings ingest, the inbox and the data directory accept. */
export const SOURCE_EXTENSIONS = new Set(['.md', '.markdown', '.txt', '.pdf', '.html', '.htm', '.shtml']);

const ascii = (bytes: Uint8Array, n: number): string => new TextDecoder('latin1').decode(bytes.subarray(0, n));

/** What a file is, from its first bytes (a PDF's %PDF- header, an HTML start tag), else its name. */
export function detectFormat(bytes: Uint8Array, name: string): SourceFormat {
  const head = ascii(bytes, 1024);
  if (head.includes('%PDF-')) return 'pdf';
  const ext = extname(name).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (/^(?:\ufeff|\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b/i.test(head)) return 'html';
  if (ext === '.html' || ext === '.htm' || ext === '.shtml') return 'html';
  return 'text';
}

/** A source file made ready for the parser: the bytes to store and what converting it noticed. */
export interface PreparedSource {
  format: SourceFormat;
  /** Markdown bytes to store: the file itself, or the converted text with its page map. */
  stored: Uint8Array;
  warnings: ParseWarning[];
}

/**
 * Turns any accepted file into markdown bytes for the parser: a PDF through the PDF front-end, a
 * web page through the HTML front-end, markdown and text unchanged. Throws PolicyBotError with
 * the reason when the file cannot be used.
 */
export async function prepareSource(bytes: Uint8Array, name: string): Promise<PreparedSource> {
  const format = detectFormat(bytes, name);
  if (format === 'pdf') {
    if (!ascii(bytes, 1024).includes('%PDF-')) {
      throw new PolicyBotError('INPUT_CORRUPT', `${name}: not a PDF (no %PDF- header); the file may be damaged or mislabelled`, { source: name });
    }
    const pdf = await pdfToMarkdown(bytes, name);
    return { format, stored: new TextEncoder().encode(pdf.text), warnings: pdf.warnings };
  }
  if (format === 'html') {
    const { htmlToMarkdown } = await import('./html/convert.ts');
    const page = htmlToMarkdown(bytes, name);
    return { format, stored: new TextEncoder().encode(page.text), warnings: page.warnings };
  }
  // markdown or text saved in the wrong encoding (UTF-8 read as Latin-1 and saved again) is refused
  const reason = garbledReason(decodeBulletin(bytes, name));
  if (reason) throw new PolicyBotError('INPUT_GARBLED', `${name}: ${reason}; save the file as UTF-8 from its original`, { source: name });
  return { format, stored: bytes, warnings: [] };
}
