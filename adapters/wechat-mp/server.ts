import type { Clock } from '../../src/clock.ts';
import type { Conversation } from '../../src/conversation/core.ts';
import type { Reply } from '../../src/conversation/types.ts';
import type { Logger } from '../../src/logger.ts';
import { WechatCipher } from '../wechat-callback/cipher.ts';
import { openEncrypted, replyResponse } from '../wechat-callback/envelope.ts';
import { menuKeyCommand, TEXT_ONLY } from '../wechat-callback/menu.ts';
import { CallbackRejected } from '../wechat-callback/errors.ts';
import type { CallbackHandler } from '../wechat-callback/http.ts';
import { createResponder, PASSIVE_REPLY_MS, withinDeadline, type Responder } from '../wechat-callback/responder.ts';
import { signatureMatches, wechatSignature } from '../wechat-callback/signature.ts';
import { parseCallbackXml, type CallbackFields } from '../wechat-callback/xml.ts';

/** What the Official Account (公众号) endpoint needs. */
export interface OfficialAccountOptions {
  /** The Token entered in the admin console (服务器配置). */
  token: string;
  appId: string;
  /** The EncodingAESKey: safe mode (安全模式) when set; every message must then be encrypted. */
  aesKey?: string;
  conversation: Conversation;
  clock: Clock;
  logger: Logger;
  /** Called for every message, menu click or follow of a user: it opens the 48-hour customer-service window. */
  onUserMessage?: (openid: string) => void;
  responder?: Responder;
  /** How long to wait for an answer before replying "success" and sending it via `onLateReply` (default 4.5 s). */
  replyWithinMs?: number;
  /** Sends an answer that missed the passive-reply deadline through the API. */
  onLateReply?: (user: string, text: string) => void;
}

const merge = (...replies: Array<Reply | null>): Reply => ({
  blocks: replies.flatMap((r) => r?.blocks ?? []),
  actions: replies.flatMap((r) => r?.actions ?? []),
});

/**
 * The Official Account callback: URL verification (GET … echostr), the SHA1 signature of every
 * request (403 when wrong), safe-mode decryption and encryption, and a passive text reply through
 * the conversation core. A MsgId retried by WeChat is answered once, with the same reply.
 */
export function createOfficialAccountHandler(o: OfficialAccountOptions): CallbackHandler {
  const cipher = o.aesKey ? new WechatCipher(o.aesKey, o.appId) : undefined;
  const responder = o.responder ?? createResponder({ channel: 'wechat-mp', conversation: o.conversation, clock: o.clock });
  const ask = (openid: string, text: string) =>
    o.conversation.handle({ channel: 'wechat-mp', chatId: openid, userId: openid, text, isGroup: false, mentionsBot: false });

  async function respond(m: CallbackFields): Promise<string | null> {
    const openid = m['FromUserName']!;
    const type = m['MsgType'];
    const event = (m['Event'] ?? '').toLowerCase();
    if (!(type === 'event' && event === 'unsubscribe')) o.onUserMessage?.(openid);
    if (type === 'text') return responder.text(openid, m['Content'] ?? '');
    if (type !== 'event') return TEXT_ONLY;
    switch (event) {
      case 'subscribe':
        // following the account: welcome (the help) and the push subscription
        return responder.page(openid, merge(await ask(openid, '/help'), await ask(openid, '/subscribe')));
      case 'unsubscribe':
        await ask(openid, '/unsubscribe');
        return null;
      case 'click':
        return responder.text(openid, menuKeyCommand(m['EventKey'] ?? ''));
      default:
        return null; // VIEW, LOCATION, SCAN… need no answer
    }
  }

  return async (req) => {
    const q = req.query;
    const timestamp = q.get('timestamp') ?? '';
    const nonce = q.get('nonce') ?? '';
    if (!signatureMatches(wechatSignature(o.token, timestamp, nonce), q.get('signature'))) throw new CallbackRejected(403, 'wrong signature');
    if (req.method === 'GET') return { status: 200, body: q.get('echostr') ?? '' };
    const outer = parseCallbackXml(req.body);
    let m: CallbackFields;
    if (cipher) {
      if (q.get('encrypt_type') !== 'aes' || !outer['Encrypt']) {
        throw new CallbackRejected(400, 'plaintext message while WECHAT_MP_AES_KEY is set: choose 安全模式 in the console or unset the key');
      }
      m = openEncrypted(o.token, cipher, q, outer);
    } else {
      if (outer['Encrypt'] && !outer['MsgType']) throw new CallbackRejected(400, 'encrypted message but WECHAT_MP_AES_KEY is not set');
      m = outer;
    }
    if (!m['FromUserName'] || !m['MsgType']) throw new CallbackRejected(400, 'FromUserName and MsgType are required');
    const key = m['MsgId'] ?? `${m['FromUserName']}:${m['CreateTime'] ?? ''}:${m['Event'] ?? ''}`;
    const late = o.onLateReply;
    const content = await withinDeadline(
      responder.once(key, () => respond(m)),
      o.replyWithinMs ?? PASSIVE_REPLY_MS,
      late && ((text) => late(m['FromUserName']!, text)),
    );
    return replyResponse(m, content, { token: o.token, cipher, nonce, nowMs: o.clock.now() });
  };
}
