import type { Reply } from '../src/conversation/types.ts';

/** Options of plain-text rendering (terminal and WeChat). */
export interface PlainTextOptions {
  /** Mention the feedback words after an answer. */
  feedbackHint?: boolean;
}

/**
 * Renders a reply model as plain text: each clause followed by its citation line, lists as
 * bullet lines, and "更多" / feedback hints where a channel has no buttons.
 */
export function renderPlainText(reply: Reply, opts: PlainTextOptions = {}): string[] {
  const parts: string[] = [];
  for (const b of reply.blocks) {
    if (b.kind === 'text') parts.push(b.text);
    else if (b.kind === 'clause') parts.push(`${b.text}\n—— ${b.citation.label}`);
    else parts.push([b.title, ...b.items.map((i) => `• ${i}`)].filter(Boolean).join('\n'));
  }
  const hints: string[] = [];
  for (const a of reply.actions) {
    if (a.kind === 'more') hints.push(`还有${a.remaining}条相关结果，回复“更多”查看。`);
    if (a.kind === 'feedback' && opts.feedbackHint) hints.push('回复“有用”或“没用”评价这个回答。');
  }
  if (hints.length) parts.push(hints.join(''));
  return parts;
}

/**
 * Splits text into messages of at most `max` characters, cutting between parts (clauses)
 * first, then between lines, then between sentences; never inside a sentence unless one
 * sentence alone is longer than `max`.
 */
export function splitMessages(parts: string[], max: number): string[] {
  const out: string[] = [];
  let cur = '';
  const pushPiece = (piece: string, sep: string): void => {
    if (!cur) cur = piece;
    else if (cur.length + sep.length + piece.length <= max) cur += sep + piece;
    else {
      out.push(cur);
      cur = piece;
    }
  };
  for (const part of parts) {
    if (part.length <= max) {
      pushPiece(part, '\n\n');
      continue;
    }
    for (const line of part.split('\n')) {
      if (line.length <= max) {
        pushPiece(line, '\n');
        continue;
      }
      for (const sentence of line.match(/[^。；！？]+[。；！？]?/g) ?? [line]) {
        if (sentence.length <= max) pushPiece(sentence, '');
        else for (let i = 0; i < sentence.length; i += max) pushPiece(sentence.slice(i, i + max), '');
      }
    }
  }
  if (cur) out.push(cur);
  return out;
}
