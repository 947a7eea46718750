import { isCjk, squeezeCjkSpaces, stripInlineMarkup } from '../text/normalize.ts';
import { detectMarker } from './numbering.ts';

/** One paragraph-level unit of the markdown: a heading, a paragraph or a table. */
export interface Block {
  kind: 'heading' | 'para' | 'table';
  /** Cleaned text; hard line breaks (two trailing spaces) kept as "\n". */
  text: string;
  /** Markdown heading level (1–6), which in PDF conversions is unreliable: used only as a hint. */
  level?: number;
  /** Source lines with markup stripped but spacing kept (TOC entries and signatures need it). */
  lines: string[];
  /** Table cells, one array per row (tables are tab-separated rows). */
  rows?: string[][];
  /** 1-based line number of the block's first line in the source file. */
  line: number;
}

/** Joins two wrapped lines: no space between Chinese, one space between Latin words. */
export function joinWrapped(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  const last = a[a.length - 1]!;
  const first = b[0]!;
  return isCjk(last) || isCjk(first) || /[，。、；：！？（）《》“”]/.test(last + first) ? a + b : `${a} ${b}`;
}

/** Cleans one line of text for the corpus: markup gone, stray spaces near Chinese gone. */
export function cleanLine(line: string): string {
  return squeezeCjkSpaces(stripInlineMarkup(line).replace(/\u00a0/g, ' '));
}

/**
 * Splits markdown into blocks. A heading line is always its own block; a blank line ends a
 * block; a line ending in two spaces is a hard break inside the block; tab-separated lines
 * make a table.
 */
export function splitBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  const rawLines = (): string[] => buf.map((l) => stripInlineMarkup(l.raw).trim());
  let buf: Array<{ raw: string; no: number }> = [];
  const flush = (): void => {
    if (buf.length === 0) return;
    const tabbed = buf.filter((l) => l.raw.includes('\t')).length;
    const piped = buf.filter((l) => /^\s*\|.*\|\s*$/.test(l.raw)).length;
    if (piped >= 2 && piped === buf.length) {
      const rows = buf
        .filter((l) => !/^\s*\|[\s:|-]+\|\s*$/.test(l.raw))
        .map((l) =>
          l.raw
            .trim()
            .replace(/^\||\|$/g, '')
            .split('|')
            .map((c) => cleanLine(c)),
        );
      blocks.push({ kind: 'table', text: buf.map((l) => l.raw.trim()).join('\n'), lines: rawLines(), rows, line: buf[0]!.no });
    } else if (tabbed >= 2 && tabbed >= buf.length / 2) {
      const rows = buf.map((l) =>
        l.raw
          .replace(/[ \r]+$/, '')
          .split('\t')
          .map((c) => cleanLine(c)),
      );
      blocks.push({ kind: 'table', text: buf.map((l) => l.raw.trim()).join('\n'), lines: rawLines(), rows, line: buf[0]!.no });
    } else {
      // A line that starts with a numbering marker after a line that ended a sentence starts
      // a new item ("下列条件：" / "（一）…；" / "（二）…"), even without a blank line.
      let start = 0;
      const emit = (from: number, to: number): void => {
        let text = '';
        for (const l of buf.slice(from, to)) {
          const hard = /( {2,}|\\)$/.test(l.raw);
          const piece = cleanLine(l.raw.replace(/\\$/, ''));
          text = text.endsWith('\n') ? text + piece : joinWrapped(text, piece);
          if (hard) text += '\n';
        }
        text = text.replace(/\n+$/, '');
        const lines = buf.slice(from, to).map((l) => stripInlineMarkup(l.raw).trim());
        if (text) blocks.push({ kind: 'para', text, lines, line: buf[from]!.no });
      };
      for (let k = 1; k < buf.length; k++) {
        const prev = buf[k - 1]!.raw.trim();
        if (/[。；：;:]$/.test(prev) && detectMarker(cleanLine(buf[k]!.raw))) {
          emit(start, k);
          start = k;
        }
      }
      emit(start, buf.length);
    }
    buf = [];
  };
  lines.forEach((raw, i) => {
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) {
      flush();
      const text = cleanLine(heading[2]!);
      if (text) blocks.push({ kind: 'heading', text, lines: [stripInlineMarkup(heading[2]!).trim()], level: heading[1]!.length, line: i + 1 });
      return;
    }
    if (/^\s*$/.test(raw) || /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/.test(raw)) {
      flush();
      return;
    }
    buf.push({ raw, no: i + 1 });
  });
  flush();
  return blocks;
}
