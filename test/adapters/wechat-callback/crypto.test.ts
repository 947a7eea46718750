import { describe, expect, it } from 'vitest';
import { WechatCipher, isEncodingAesKey } from '../../../adapters/wechat-callback/cipher.ts';
import { CallbackRejected } from '../../../adapters/wechat-callback/errors.ts';
import { signatureMatches, wechatSignature } from '../../../adapters/wechat-callback/signature.ts';
import { buildCallbackXml, parseCallbackXml } from '../../../adapters/wechat-callback/xml.ts';

// The sample of WeChat's official message-encryption SDK (WXBizMsgCrypt, Official Account / Open Platform).
const SAMPLE = {
  token: 'QDG6eK',
  appId: 'wx5823bf96d3bd56c7',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
};

// The Java sample of the same SDK: a fixed random prefix gives a fixed ciphertext.
const JAVA_SAMPLE = {
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: 'aaaabbbbccccdddd',
  message: '我是中文abcd123',
  encrypted: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
};

describe('wechat callback signature', () => {
  it('matches the msg_signature of the official sample', () => {
    expect(wechatSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.encrypt)).toBe(SAMPLE.msgSignature);
  });
  it('does not depend on the order of the parts', () => {
    expect(wechatSignature('b', 'a', 'c')).toBe(wechatSignature('c', 'b', 'a'));
  });
  it('compares in constant time and refuses missing or altered signatures', () => {
    expect(signatureMatches(SAMPLE.msgSignature, SAMPLE.msgSignature.toUpperCase())).toBe(true);
    expect(signatureMatches(SAMPLE.msgSignature, null)).toBe(false);
    expect(signatureMatches(SAMPLE.msgSignature, SAMPLE.msgSignature.slice(1))).toBe(false);
    expect(signatureMatches(SAMPLE.msgSignature, `0${SAMPLE.msgSignature.slice(1)}`)).toBe(false);
  });
});

describe('wechat callback cipher', () => {
  it('decrypts the official sample and finds its AppID', () => {
    const plain = new WechatCipher(SAMPLE.aesKey, SAMPLE.appId).decrypt(SAMPLE.encrypt);
    const fields = parseCallbackXml(plain);
    expect(fields['ToUserName']).toBe('wx5823bf96d3bd56c7');
    expect(fields['MsgType']).toBe('text');
    expect(fields['Content']).toBe('hello');
    expect(fields['MsgId']).toMatch(/^\d{19}$/);
  });
  it('refuses the sample under another AppID', () => {
    expect(() => new WechatCipher(SAMPLE.aesKey, 'wx0000000000000000').decrypt(SAMPLE.encrypt)).toThrow(CallbackRejected);
  });
  it('reproduces the Java sample ciphertext from its fixed random prefix', () => {
    const c = new WechatCipher(JAVA_SAMPLE.aesKey, JAVA_SAMPLE.appId);
    expect(c.encrypt(JAVA_SAMPLE.message, Buffer.from(JAVA_SAMPLE.random))).toBe(JAVA_SAMPLE.encrypted);
    expect(c.decrypt(JAVA_SAMPLE.encrypted)).toBe(JAVA_SAMPLE.message);
  });
  it('round-trips messages of every length around the 32-byte block', () => {
    const c = new WechatCipher(JAVA_SAMPLE.aesKey, 'ww1234567890abcdef');
    for (let n = 0; n < 70; n++) {
      const m = '政'.repeat(n % 7) + 'x'.repeat(n);
      const e = c.encrypt(m);
      expect(Buffer.from(e, 'base64').length % 32).toBe(0);
      expect(c.decrypt(e)).toBe(m);
    }
  });
  it('refuses garbage, truncated and tampered ciphertext with a 400 or 403', () => {
    const c = new WechatCipher(SAMPLE.aesKey, SAMPLE.appId);
    for (const bad of [
      '',
      'abc',
      SAMPLE.encrypt.slice(0, 40),
      `AAAA${SAMPLE.encrypt.slice(4)}`,
      new WechatCipher(JAVA_SAMPLE.aesKey, SAMPLE.appId).encrypt('x'),
    ]) {
      let err: unknown;
      try {
        c.decrypt(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CallbackRejected);
    }
  });
  it('checks the key shape', () => {
    expect(isEncodingAesKey(SAMPLE.aesKey)).toBe(true);
    expect(isEncodingAesKey(`${SAMPLE.aesKey}=`)).toBe(false);
    expect(() => new WechatCipher('short', 'wx')).toThrow(/43 characters/);
  });
});

describe('wechat callback xml', () => {
  it('parses fields as exact strings, decoding entities outside CDATA only', () => {
    const f = parseCallbackXml('<xml><A><![CDATA[a&amp;b]]></A><MsgId>6547288321577417974</MsgId><C>x &lt; y</C><Nested><X>1</X></Nested></xml>');
    expect(f).toEqual({ A: 'a&amp;b', MsgId: '6547288321577417974', C: 'x < y' });
  });
  it('refuses malformed XML, other roots and DOCTYPEs', () => {
    for (const bad of ['<xml><a></xml>', 'not xml', '<root><a>1</a></root>', '<!DOCTYPE x [<!ENTITY e "boom">]><xml><a>&e;</a></xml>']) {
      expect(() => parseCallbackXml(bad)).toThrow(CallbackRejected);
    }
  });
  it('builds replies that parse back, even with "]]>" in the text', () => {
    const xml = buildCallbackXml({ ToUserName: 'u', CreateTime: 1700000000, Content: '第一条]]><script>' });
    expect(xml).toContain('<CreateTime>1700000000</CreateTime>');
    expect(parseCallbackXml(xml)).toEqual({ ToUserName: 'u', CreateTime: '1700000000', Content: '第一条]]><script>' });
  });
});
