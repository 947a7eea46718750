import { hostname } from 'node:os';
import { canPush } from '../channels/registry.ts';
import type { Clock } from '../clock.ts';
import type { Reply } from '../conversation/types.ts';
import type { Logger } from '../logger.ts';
import type { Channel, Delivery } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { IssueComposer } from './compose.ts';
import { noPacing, type Pacer } from './pacer.ts';
import { runPool } from './pool.ts';
import { ChannelAuthError, PermanentSendError, type ChannelSender } from './sender.ts';

/** What delivering to subscribers needs: their store, the channels' senders and pacers. */
export interface DeliveryDeps {
  store: Store;
  senders: Partial<Record<Channel, ChannelSender>>;
  pacers?: Partial<Record<Channel, Pacer>>;
  clock: Clock;
  logger: Logger;
  /** Sends in flight at once (POLICYBOT_PUSH_CONCURRENCY); pacing still caps the rate. */
  concurrency?: number;
  /** How long a claim holds without renewal before another worker may take it over. */
  leaseMs?: number;
  /** Backoff of a delivery that failed temporarily, before a later cycle tries it again. */
  retryBackoff?: { baseMs: number; maxMs: number };
  /** This worker's id ("host:pid:nonce"). */
  owner?: string;
}

/** What a broadcast did. */
export interface BroadcastResult {
  issueKey: string;
  sent: number;
  /** failed for good (blocked, chat gone) */
  failed: number;
  /** failed temporarily: pending, retried by a later cycle */
  retrying: number;
  /** deliveries still pending or claimed after this run, per channel */
  pendingByChannel: Record<string, number>;
  /** every delivery done: the issue will not be pushed again */
  announced: boolean;
  /** why this run stopped early (an outage, a refused token), if it did */
  stoppedBy?: string;
}

/** A push that would be sent (dry run). */
export interface PushPreview {
  channel: Channel;
  chatId: string;
  reply: Reply;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_RETRY_BACKOFF = { baseMs: 60_000, maxMs: 6 * 3600_000 };

const processOwner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

/**
 * Sends one issue to its subscribers, exactly once each, in these steps:
 * 1. enqueue: a pending delivery per active subscriber of a channel that can receive pushes
 *    (idempotent; subscribers who joined since an interrupted run are added);
 * 2. claim a batch (recorded before any send: the intent), send with up to `concurrency` in
 *    flight, recording each delivered part, then the outcome;
 * 3. announce the issue once no delivery of it is pending or claimed.
 * A blocked bot or vanished chat is a final "failed" and deactivates the subscriber. A
 * temporary failure (5xx, timeout, network) leaves the delivery pending with a backoff and stops
 * this run (an outage: the rest stays pending); a refused token stops it too. Subscribers of a
 * channel not running in this process stay pending for a process that runs it.
 */
export async function broadcast(issueKey: string, composer: IssueComposer, deps: DeliveryDeps): Promise<BroadcastResult> {
  const { store, clock, logger } = deps;
  const at = (): string => new Date(clock.now()).toISOString();
  const owner = deps.owner ?? processOwner;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const backoff = deps.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const result: BroadcastResult = { issueKey, sent: 0, failed: 0, retrying: 0, pendingByChannel: {}, announced: false };

  const audience = (await store.subscribers()).filter((s) => s.active && canPush(s.channel));
  await store.enqueue(issueKey, audience.map((s) => ({ channel: s.channel, chatId: s.chatId, topics: s.topics })), at());
  const channels = Object.keys(deps.senders).filter((c) => deps.senders[c]);
  let stop: Error | undefined;

  const deliver = async (d: Delivery): Promise<'release' | void> => {
    if (stop) return 'release';
    const sender = deps.senders[d.channel]!;
    try {
      await sender.sendReply(d.chatId, composer.forTopics(d.topics), deps.pacers?.[d.channel] ?? noPacing, {
        fromPart: d.partsDone,
        onPart: (n) => store.recordParts(d, n, clock.now() + leaseMs, at()),
      });
      await store.finish(d, { status: 'sent' }, at());
      result.sent++;
    } catch (e) {
      if (e instanceof PermanentSendError) {
        await store.finish(d, { status: 'failed', error: `${e.reason}: ${e.message}` }, at());
        result.failed++;
        logger.warn({ channel: d.channel, chatId: d.chatId, reason: e.reason }, `push to a subscriber failed: ${e.message}`);
        if (e.reason === 'blocked' || e.reason === 'chat-not-found') await store.deactivate(d, e.reason, at());
        return;
      }
      if (e instanceof ChannelAuthError) {
        stop ??= e;
        return 'release';
      }
      // temporary (retries used up), or anything unexpected: pending again, later, and stop
      const wait = Math.min(backoff.baseMs * 2 ** d.attempts, backoff.maxMs);
      await store.finish(d, { status: 'retry', error: (e as Error).message, nextAttemptAt: clock.now() + wait }, at());
      result.retrying++;
      stop ??= e as Error;
      logger.warn({ channel: d.channel, chatId: d.chatId, retryInMs: wait }, `push to a subscriber failed temporarily: ${(e as Error).message}`);
    }
  };

  while (!stop && channels.length > 0) {
    const batch = await store.claim(issueKey, { owner, channels, limit: concurrency * 4, now: clock.now(), leaseMs });
    if (batch.length === 0) break;
    const back: Delivery[] = [];
    await runPool(batch, concurrency, async (d) => {
      if ((await deliver(d)) === 'release') back.push(d);
    });
    if (back.length) await store.release(back, at());
  }
  if (stop) result.stoppedBy = stop.message;
  const progress = await store.progress(issueKey);
  result.pendingByChannel = progress.openByChannel;
  result.announced = await store.announceIfDone(issueKey, at());
  logger.info(result, 'broadcast done');
  return result;
}
