import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's callback signature (Official Account and WeCom alike): the parts — token, timestamp,
 * nonce and, for encrypted messages, the Encrypt field or echostr — sorted, concatenated, SHA1 hex.
 */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''), 'utf8')
    .digest('hex');
}

/** Compares a signature from a request with the expected one in constant time. */
export function signatureMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(given.toLowerCase(), 'latin1'));
}
