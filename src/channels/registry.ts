import { PolicyBotError } from '../errors.ts';
/** What the core knows about a chat channel: its id, a label, and whether pushes can reach it. */
export interface ChannelInfo {
  /** Stable id stored with subscribers and deliveries, e.g. "telegram". */
  id: string;
  /** Shown to operators (subscriber counts, push reports). */
  label: string;
  /**
   * True when the bot can send to a chat of this channel on its own (a push). The terminal
   * cannot: its "subscribers" are never queued for a push, so they never hold up an issue.
   */
  canPush: boolean;
  /** Why a delivery of this channel may stay pending although the channel runs (shown by `push --once`). */
  waitingNote?: string;
  /** What delivers this channel's pushes when a process does not run it (shown by `push --once`). */
  howToRun?: string;
}

const registry = new Map<string, ChannelInfo>();

/**
 * Registers a channel (an adapter calls this once at import time). Registering the same id
 * again replaces its info, so a module loaded twice does no harm.
 */
export function registerChannel(info: ChannelInfo): void {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(info.id))
    throw new PolicyBotError('INTERNAL', `bad channel id ${JSON.stringify(info.id)}: expected lower-case letters, digits and -`);
  registry.set(info.id, { ...info });
}

/** The info of a channel id, or undefined for an id no adapter registered. */
export function channelInfo(id: string): ChannelInfo | undefined {
  return registry.get(id);
}

/** Whether a push can reach chats of this channel (unknown channels: assumed yes, so they wait rather than vanish). */
export function canPush(id: string): boolean {
  return registry.get(id)?.canPush ?? true;
}

/** Every registered channel, in registration order. */
export function listChannels(): ChannelInfo[] {
  return [...registry.values()];
}

// the channels this repository ships; later adapters register theirs the same way
registerChannel({ id: 'telegram', label: 'Telegram', canPush: true, howToRun: 'set TELEGRAM_BOT_TOKEN' });
registerChannel({ id: 'wechat', label: 'WeChat (wechaty)', canPush: true, howToRun: '`npm start` with WECHATY_PUPPET and a logged-in account delivers them' });
registerChannel({ id: 'console', label: 'terminal', canPush: false });
registerChannel({
  id: 'wechat-mp',
  label: 'WeChat Official Account (公众号)',
  canPush: true,
  waitingNote: 'users who have not written within 48 hours get it when they next write',
  howToRun: 'set WECHAT_MP_SECRET (pushes need the AppSecret of a verified account)',
});
registerChannel({ id: 'wecom', label: 'WeCom app (企业微信)', canPush: true, howToRun: 'set WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET' });
