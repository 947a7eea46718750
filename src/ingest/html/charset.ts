import { PolicyBotError } from '../../errors.ts';

/** Labels Chinese government sites declare, all read as GB18030 (their superset). */
const GB = /^(?:gb2312|gbk|gb18030|x-gbk|cp936|euc-cn|csgb2312|chinese|iso-ir-58)$/i;

/** The charset a page declares in `<meta charset>` or `<meta http-equiv content="…charset=…">`. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return m?.[1]?.toLowerCase();
}

/**
 * Decodes a web page: a byte-order mark wins, then the declared meta charset (GB2312/GBK pages
 * read as GB18030), then UTF-8 if the bytes are valid UTF-8, then GB18030.
 */
export function decodeHtml(bytes: Uint8Array, source: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const declared = declaredCharset(bytes);
  if (declared) {
    const label = GB.test(declared) ? 'gb18030' : declared;
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // an unknown label: fall back to detection
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // not UTF-8
  }
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
  } catch {
    throw new PolicyBotError('INPUT_ENCODING', `${source}: the page's encoding is neither its declared charset, UTF-8 nor GB18030`, { source });
  }
}
