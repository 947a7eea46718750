import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Lines of a text stream, split on "\n" only. A "\r\n" ending loses its "\r"; a bare "\r" inside a line
 * (a pasted Windows or old-Mac fragment) becomes a space instead of splitting one question into two,
 * which is what node:readline does.
 */
export async function* readLines(input: Readable): AsyncIterable<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      yield cleanLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending !== '') yield cleanLine(pending);
}

/** Drops one trailing "\r" and turns any other "\r" into a space. */
export function cleanLine(line: string): string {
  return line.replace(/\r$/, '').replace(/\r/g, ' ');
}
