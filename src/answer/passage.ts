/**
 * Cuts a long clause down to the part that answers, at sentence boundaries, marking cuts with
 * "…". The words are never changed: the passage is a substring of the clause plus ellipses.
 */
export function trimPassage(text: string, score: (sentence: string) => number, max = 600): string {
  if (text.length <= max) return text;
  const sentences = text.match(/[^。；！？]+[。；！？]?/g) ?? [text];
  let best = 0;
  let bestScore = -1;
  sentences.forEach((s, i) => {
    const v = score(s);
    if (v > bestScore) {
      bestScore = v;
      best = i;
    }
  });
  let from = best;
  let to = best + 1;
  let len = sentences[best]!.length;
  if (len > max) {
    const s = sentences[best]!;
    return `${best > 0 ? '…' : ''}${s.slice(0, max - 2)}…`;
  }
  // grow around the best sentence, preferring what follows it
  for (;;) {
    const next = to < sentences.length ? sentences[to]!.length : Infinity;
    const prev = from > 0 ? sentences[from - 1]!.length : Infinity;
    if (next <= prev && len + next <= max) {
      len += next;
      to++;
    } else if (prev < Infinity && len + prev <= max) {
      len += prev;
      from--;
    } else if (next < Infinity && len + next <= max) {
      len += next;
      to++;
    } else break;
  }
  return `${from > 0 ? '…' : ''}${sentences.slice(from, to).join('')}${to < sentences.length ? '…' : ''}`;
}
