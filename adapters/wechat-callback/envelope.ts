import type { WechatCipher } from './cipher.ts';
import { CallbackRejected } from './errors.ts';
import type { CallbackResponse } from './http.ts';
import { signatureMatches, wechatSignature } from './signature.ts';
import { buildCallbackXml, parseCallbackXml, type CallbackFields } from './xml.ts';

/**
 * Opens an encrypted callback body: checks msg_signature over (token, timestamp, nonce, Encrypt)
 * — 403 when wrong — then decrypts (AppID/CorpID checked) and parses the inner XML.
 */
export function openEncrypted(token: string, cipher: WechatCipher, query: URLSearchParams, outer: CallbackFields): CallbackFields {
  const encrypted = outer['Encrypt'];
  if (!encrypted) throw new CallbackRejected(400, 'encrypted message expected (Encrypt field missing)');
  const expected = wechatSignature(token, query.get('timestamp') ?? '', query.get('nonce') ?? '', encrypted);
  if (!signatureMatches(expected, query.get('msg_signature'))) throw new CallbackRejected(403, 'wrong msg_signature');
  return parseCallbackXml(cipher.decrypt(encrypted));
}

/** Wraps a plain reply XML into WeChat's encrypted reply (Encrypt, MsgSignature, TimeStamp, Nonce). */
export function sealReply(token: string, cipher: WechatCipher, replyXml: string, timestamp: string, nonce: string): string {
  const encrypted = cipher.encrypt(replyXml);
  return buildCallbackXml({
    Encrypt: encrypted,
    MsgSignature: wechatSignature(token, timestamp, nonce, encrypted),
    TimeStamp: Number(timestamp),
    Nonce: nonce,
  });
}

/** A passive text reply: to the sender, from the account that received the message. */
export function textReplyXml(incoming: CallbackFields, content: string, nowMs: number): string {
  return buildCallbackXml({
    ToUserName: incoming['FromUserName'] ?? '',
    FromUserName: incoming['ToUserName'] ?? '',
    CreateTime: Math.floor(nowMs / 1000),
    MsgType: 'text',
    Content: content,
  });
}

/**
 * The HTTP answer to a callback: "success" when there is nothing to say (WeChat then shows
 * nothing), otherwise a passive text reply, encrypted and signed when a cipher is given.
 */
export function replyResponse(
  m: CallbackFields,
  content: string | null,
  o: { token: string; cipher: WechatCipher | undefined; nonce: string; nowMs: number },
): CallbackResponse {
  if (content === null) return { status: 200, body: 'success' };
  const xml = textReplyXml(m, content, o.nowMs);
  return {
    status: 200,
    type: 'application/xml; charset=utf-8',
    body: o.cipher ? sealReply(o.token, o.cipher, xml, String(Math.floor(o.nowMs / 1000)), o.nonce) : xml,
  };
}
