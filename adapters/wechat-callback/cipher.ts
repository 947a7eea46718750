import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CallbackRejected } from './errors.ts';
import { PolicyBotError } from '../../src/errors.ts';

/** WeChat pads to 32-byte blocks (PKCS#7 with k = 32), not AES's 16. */
const BLOCK = 32;

/** True when `key` looks like an EncodingAESKey: 43 characters of base64. */
export function isEncodingAesKey(key: string): boolean {
  return /^[A-Za-z0-9+/]{43}$/.test(key);
}

/**
 * The message encryption of WeChat callbacks (WXBizMsgCrypt): AES-256-CBC with
 * key = base64(EncodingAESKey + "="), iv = key[0..16], PKCS#7 padding to 32 bytes, over
 * random(16) ‖ length(4, big-endian) ‖ message ‖ receiveId. The receiveId is the AppID of an
 * Official Account or the CorpID of a WeCom app, and decryption checks it.
 */
export class WechatCipher {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(
    encodingAesKey: string,
    readonly receiveId: string,
  ) {
    if (!isEncodingAesKey(encodingAesKey)) throw new PolicyBotError('CONFIG_INVALID', 'an EncodingAESKey is 43 characters of A-Z a-z 0-9 + /');
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    this.iv = this.key.subarray(0, 16);
  }

  /** Encrypts `message` for WeChat; `random` (16 bytes) is fresh unless given (tests). */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    if (random.length !== 16) throw new PolicyBotError('INTERNAL', 'the random prefix is 16 bytes');
    const msg = Buffer.from(message, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const plain = Buffer.concat([random, len, msg, Buffer.from(this.receiveId, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const c = createCipheriv('aes-256-cbc', this.key, this.iv);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
  }

  /**
   * Decrypts an Encrypt field (or WeCom's echostr). Throws CallbackRejected(400) when it does
   * not decrypt, is badly padded, or was made for another AppID/CorpID.
   */
  decrypt(encrypted: string): string {
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % 16 !== 0) throw new CallbackRejected(400, 'encrypted field is not a whole number of AES blocks');
    let plain: Buffer;
    try {
      const d = createDecipheriv('aes-256-cbc', this.key, this.iv);
      d.setAutoPadding(false);
      plain = Buffer.concat([d.update(data), d.final()]);
    } catch {
      throw new CallbackRejected(400, 'encrypted field does not decrypt');
    }
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw new CallbackRejected(400, 'bad padding (wrong EncodingAESKey?)');
    const body = plain.subarray(0, plain.length - pad);
    if (body.length < 20) throw new CallbackRejected(400, 'decrypted message too short');
    const len = body.readUInt32BE(16);
    if (20 + len > body.length) throw new CallbackRejected(400, 'decrypted length out of range (wrong EncodingAESKey?)');
    const id = body.subarray(20 + len).toString('utf8');
    if (id !== this.receiveId) throw new CallbackRejected(403, 'message was encrypted for another AppID/CorpID');
    return body.subarray(20, 20 + len).toString('utf8');
  }
}
