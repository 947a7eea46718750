import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Channel } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { IssueComposer } from './compose.ts';
import type { DeliveryJournal } from './journal.ts';
import { noPacing, type Pacer } from './pacer.ts';
import { PermanentSendError, type ChannelSender } from './sender.ts';
import type { Reply } from '../conversation/types.ts';

/** What delivering to subscribers needs: their store, the channels' senders and pacers. */
export interface DeliveryDeps {
  store: Store;
  senders: Partial<Record<Channel, ChannelSender>>;
  pacers?: Partial<Record<Channel, Pacer>>;
  clock: Clock;
  logger: Logger;
}

/** What a broadcast needs: delivery, plus the journal of who already got it. */
export interface BroadcastDeps extends DeliveryDeps {
  journal: DeliveryJournal;
}

/** What a broadcast did. */
export interface BroadcastResult {
  issueKey: string;
  sent: number;
  failed: number;
  /** already delivered earlier (a resumed broadcast) */
  skipped: number;
  /** subscribers of a channel that is not running now */
  unreachable: number;
}

/** A push that would be sent (dry run). */
export interface PushPreview {
  channel: Channel;
  chatId: string;
  reply: Reply;
}

/**
 * Sends one issue to every active subscriber exactly once. Who already got it is read from
 * the store's delivery log and the journal of an interrupted run, so a broadcast that crashed
 * resumes where it stopped. A blocked bot or vanished chat marks that subscriber inactive and
 * never stops the others. The issue is marked announced only when every subscriber is done.
 */
export async function broadcast(issueKey: string, composer: IssueComposer, deps: BroadcastDeps): Promise<BroadcastResult> {
  const result: BroadcastResult = { issueKey, sent: 0, failed: 0, skipped: 0, unreachable: 0 };
  const key = (channel: string, chatId: string): string => `${channel}:${chatId}`;
  const done = new Set<string>();
  for (const d of deps.store.read().deliveries) if (d.issueKey === issueKey) done.add(key(d.channel, d.chatId));
  for (const l of deps.journal.read()) if (l.issueKey === issueKey) done.add(key(l.channel, l.chatId));
  const subscribers = deps.store
    .read()
    .subscribers.filter((s) => s.active)
    .sort((a, b) => a.channel.localeCompare(b.channel) || a.chatId.localeCompare(b.chatId));
  for (const s of subscribers) {
    if (done.has(key(s.channel, s.chatId))) {
      result.skipped++;
      continue;
    }
    const sender = deps.senders[s.channel];
    if (!sender) {
      result.unreachable++;
      continue;
    }
    const at = (): string => new Date(deps.clock.now()).toISOString();
    try {
      await sender.sendReply(s.chatId, composer.forTopics(s.topics), deps.pacers?.[s.channel] ?? noPacing);
      deps.journal.append({ issueKey, channel: s.channel, chatId: s.chatId, status: 'sent', attempts: 1, at: at() });
      done.add(key(s.channel, s.chatId));
      result.sent++;
    } catch (e) {
      if (!(e instanceof PermanentSendError)) throw e;
      deps.journal.append({ issueKey, channel: s.channel, chatId: s.chatId, status: 'failed', attempts: 1, error: `${e.reason}: ${e.message}`, at: at() });
      done.add(key(s.channel, s.chatId));
      result.failed++;
      deps.logger.warn({ channel: s.channel, chatId: s.chatId, reason: e.reason }, `push to a subscriber failed: ${e.message}`);
      if (e.reason === 'blocked' || e.reason === 'chat-not-found') {
        await deps.store.update((d) => {
          const sub = d.subscribers.find((x) => x.channel === s.channel && x.chatId === s.chatId);
          if (sub) {
            sub.active = false;
            sub.inactiveReason = e.reason;
            sub.updatedAt = at();
          }
        });
      }
    }
  }
  // compact: the journal's lines for this issue move into the store, the issue is announced
  const lines = deps.journal.read();
  const mine = lines.filter((l) => l.issueKey === issueKey);
  await deps.store.update((d) => {
    for (const l of mine) {
      const { v: _v, ...rest } = l;
      d.deliveries.push(rest);
    }
    if (!d.announced.includes(issueKey)) d.announced.push(issueKey);
  });
  deps.journal.rewrite(lines.filter((l) => l.issueKey !== issueKey));
  deps.logger.info(result, 'broadcast done');
  return result;
}
