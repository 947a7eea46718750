import type { Reply, ReplyBlock } from '../../src/conversation/types.ts';
import { splitMessages } from '../plain-text.ts';

/** Telegram's limit on one message's text. */
export const TELEGRAM_MAX = 4096;

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An inline keyboard button. */
export interface Button {
  text: string;
  callback_data: string;
}

/** Callback data of the buttons (≤ 64 bytes). */
export const CALLBACK = { more: 'more', useful: 'fb:1', useless: 'fb:0' } as const;

/** One block as HTML (escaped), plus a plain-text version for length accounting and splitting. */
function blockToHtmlParts(b: ReplyBlock, max: number): string[] {
  if (b.kind === 'text') return splitMessages([b.text], max).map(escapeHtml);
  if (b.kind === 'list') {
    const lines = [...(b.title ? [b.title] : []), ...b.items.map((i) => `• ${i}`)];
    return splitMessages([lines.join('\n')], max).map((p, i) =>
      i === 0 && b.title && p.startsWith(b.title) ? `<b>${escapeHtml(b.title)}</b>${escapeHtml(p.slice(b.title.length))}` : escapeHtml(p),
    );
  }
  const cite = `\n—— <i>${escapeHtml(b.citation.label)}</i>`;
  const room = max - cite.length;
  const pieces = splitMessages([b.text], room);
  return pieces.map((p, i) => escapeHtml(p) + (i === pieces.length - 1 ? cite : ''));
}

/**
 * Renders a reply as Telegram HTML messages of at most 4096 characters, split between
 * clauses first; the inline keyboard ("更多", feedback) goes on the last message.
 */
export function renderTelegram(reply: Reply, max = TELEGRAM_MAX): { messages: string[]; keyboard: Button[][] } {
  // escaping can lengthen text: split on a budget, then check and re-split if needed
  const budget = Math.floor(max * 0.8);
  const parts = reply.blocks.flatMap((b) => blockToHtmlParts(b, budget));
  const messages: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (!cur) cur = p;
    else if (cur.length + 2 + p.length <= max) cur += `\n\n${p}`;
    else {
      messages.push(cur);
      cur = p;
    }
  }
  if (cur) messages.push(cur);
  const keyboard: Button[][] = [];
  const more = reply.actions.find((a) => a.kind === 'more');
  if (more && more.kind === 'more') keyboard.push([{ text: `更多结果（${more.remaining}）`, callback_data: CALLBACK.more }]);
  if (reply.actions.some((a) => a.kind === 'feedback')) {
    keyboard.push([
      { text: '👍 有用', callback_data: CALLBACK.useful },
      { text: '👎 没用', callback_data: CALLBACK.useless },
    ]);
  }
  return { messages, keyboard };
}
