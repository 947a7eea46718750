import { PolicyBotError } from '../errors.ts';

/**
 * Turns raw file bytes into text, or refuses with a code that says why.
 * Accepts UTF-8 (with or without BOM), UTF-16 with BOM, and GB18030/GBK (common for
 * Chinese government files); rejects empty, binary and undecodable input.
 */
export function decodeBulletin(bytes: Uint8Array, source: string): string {
  if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    throw new PolicyBotError('INPUT_EMPTY', `${source}: the file is empty`, { source });
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0) || looksBinary(sample)) {
    throw new PolicyBotError('INPUT_BINARY', `${source}: this is a binary file, not a markdown or text bulletin`, { source });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // not UTF-8: try the Chinese national encoding before giving up
  }
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    if (/[\u4e00-\u9fff]/.test(text)) return text;
  } catch {
    // fall through
  }
  throw new PolicyBotError('INPUT_ENCODING', `${source}: the text encoding is neither UTF-8, UTF-16 nor GB18030; save the file as UTF-8`, { source });
}

function looksBinary(sample: Uint8Array): boolean {
  let control = 0;
  for (const b of sample) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  return control > sample.length * 0.02;
}
