import type { Clock } from '../../src/clock.ts';
import type { Conversation } from '../../src/conversation/core.ts';
import type { Logger } from '../../src/logger.ts';
import { WechatCipher } from '../wechat-callback/cipher.ts';
import { openEncrypted, replyResponse } from '../wechat-callback/envelope.ts';
import { CallbackRejected } from '../wechat-callback/errors.ts';
import type { CallbackHandler } from '../wechat-callback/http.ts';
import { menuKeyCommand, TEXT_ONLY } from '../wechat-callback/menu.ts';
import { createResponder, PASSIVE_REPLY_MS, withinDeadline, type Responder } from '../wechat-callback/responder.ts';
import { signatureMatches, wechatSignature } from '../wechat-callback/signature.ts';
import { parseCallbackXml, type CallbackFields } from '../wechat-callback/xml.ts';

/** What the WeCom (企业微信) self-built app callback needs. */
export interface WecomOptions {
  /** Token and EncodingAESKey of the app's 接收消息 settings. */
  token: string;
  aesKey: string;
  corpId: string;
  agentId: number;
  conversation: Conversation;
  clock: Clock;
  logger: Logger;
  responder?: Responder;
  /** How long to wait for an answer before replying "success" and sending it via `onLateReply` (default 4.5 s). */
  replyWithinMs?: number;
  /** Sends an answer that missed the passive-reply deadline through the API. */
  onLateReply?: (user: string, text: string) => void;
}

/**
 * The WeCom app callback: URL verification (the echostr is encrypted and answered decrypted),
 * always-encrypted messages with msg_signature checked (403) and the CorpID checked, and an
 * encrypted passive reply through the conversation core. Staff are addressed by their UserID,
 * so admins are listed as "wecom:<UserID>" in POLICYBOT_ADMIN_IDS for /stats.
 */
export function createWecomHandler(o: WecomOptions): CallbackHandler {
  const cipher = new WechatCipher(o.aesKey, o.corpId);
  const responder = o.responder ?? createResponder({ channel: 'wecom', conversation: o.conversation, clock: o.clock });

  async function respond(m: CallbackFields): Promise<string | null> {
    const user = m['FromUserName']!;
    const type = m['MsgType'];
    if (type === 'text') return responder.text(user, m['Content'] ?? '');
    if (type !== 'event') return TEXT_ONLY;
    const event = (m['Event'] ?? '').toLowerCase();
    if (event === 'subscribe') return responder.text(user, '/help');
    if (event === 'click') return responder.text(user, menuKeyCommand(m['EventKey'] ?? ''));
    return null; // enter_agent, view, location… need no answer
  }

  return async (req) => {
    const q = req.query;
    const timestamp = q.get('timestamp') ?? '';
    const nonce = q.get('nonce') ?? '';
    if (req.method === 'GET') {
      const echostr = q.get('echostr') ?? '';
      if (!signatureMatches(wechatSignature(o.token, timestamp, nonce, echostr), q.get('msg_signature')))
        throw new CallbackRejected(403, 'wrong msg_signature');
      return { status: 200, body: cipher.decrypt(echostr) };
    }
    const m = openEncrypted(o.token, cipher, q, parseCallbackXml(req.body));
    if (!m['FromUserName'] || !m['MsgType']) throw new CallbackRejected(400, 'FromUserName and MsgType are required');
    if (m['AgentID'] && Number(m['AgentID']) !== o.agentId) throw new CallbackRejected(403, `message for another app (AgentID ${m['AgentID']})`);
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
