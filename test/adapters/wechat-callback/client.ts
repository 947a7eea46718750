import { WechatCipher } from '../../../adapters/wechat-callback/cipher.ts';
import { wechatSignature } from '../../../adapters/wechat-callback/signature.ts';
import { buildCallbackXml, parseCallbackXml, type CallbackFields } from '../../../adapters/wechat-callback/xml.ts';

let nonceSeq = 1000;

/** Plays WeChat's side of the callback: signs (and in safe mode encrypts) requests like WeChat's servers do. */
export class WechatSide {
  readonly cipher: WechatCipher | undefined;
  constructor(
    readonly url: string,
    readonly token: string,
    readonly receiveId: string,
    aesKey?: string,
    readonly mode: 'mp' | 'wecom' = 'mp',
  ) {
    this.cipher = aesKey ? new WechatCipher(aesKey, receiveId) : undefined;
  }

  /** Query of a request: the Official Account signs (token, timestamp, nonce); encrypted bodies add msg_signature. */
  query(opts: { encrypt?: string; echostr?: string; wrong?: boolean } = {}): URLSearchParams {
    const timestamp = '1700000000';
    const nonce = String(nonceSeq++);
    const q = new URLSearchParams({ timestamp, nonce });
    const token = opts.wrong ? `${this.token}x` : this.token;
    if (this.mode === 'mp') q.set('signature', wechatSignature(token, timestamp, nonce));
    if (opts.encrypt) {
      if (this.mode === 'mp') q.set('encrypt_type', 'aes');
      q.set('msg_signature', wechatSignature(token, timestamp, nonce, opts.encrypt));
    }
    if (opts.echostr !== undefined) {
      q.set('echostr', opts.echostr);
      if (this.mode === 'wecom') q.set('msg_signature', wechatSignature(token, timestamp, nonce, opts.echostr));
    }
    return q;
  }

  async get(q: URLSearchParams): Promise<{ status: number; text: string }> {
    const r = await fetch(`${this.url}?${q}`);
    return { status: r.status, text: await r.text() };
  }

  async postRaw(q: URLSearchParams, body: string): Promise<{ status: number; text: string }> {
    const r = await fetch(`${this.url}?${q}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    return { status: r.status, text: await r.text() };
  }

  /** Sends a message (encrypted when the side has a key) and returns the reply fields (decrypted), or the raw text. */
  async send(fields: Record<string, string | number>, opts: { wrong?: boolean } = {}): Promise<{ status: number; text: string; reply?: CallbackFields }> {
    const inner = buildCallbackXml(fields);
    let body = inner;
    let q: URLSearchParams;
    if (this.cipher) {
      const encrypt = this.cipher.encrypt(inner);
      body = buildCallbackXml({ ToUserName: String(fields['ToUserName'] ?? ''), Encrypt: encrypt });
      q = this.query({ encrypt, ...opts });
    } else q = this.query(opts);
    const r = await this.postRaw(q, body);
    if (r.status !== 200 || !r.text.startsWith('<xml>')) return r;
    let reply = parseCallbackXml(r.text);
    if (this.cipher) {
      const sig = wechatSignature(this.token, reply['TimeStamp']!, reply['Nonce']!, reply['Encrypt']!);
      if (sig !== reply['MsgSignature']) throw new Error('reply MsgSignature does not verify');
      reply = parseCallbackXml(this.cipher.decrypt(reply['Encrypt']!));
    }
    return { ...r, reply };
  }
}

let msgSeq = 6_547_288_321_577_417_974n;
/** A text message from `openid`, with a fresh 19-digit MsgId unless given. */
export function textMessage(openid: string, content: string, msgId?: string): Record<string, string | number> {
  return { ToUserName: 'gh_policybot', FromUserName: openid, CreateTime: 1_700_000_000, MsgType: 'text', Content: content, MsgId: msgId ?? String(msgSeq++) };
}
