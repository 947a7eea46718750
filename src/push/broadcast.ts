import { canPush } from '../channels/registry.ts';
import type { Reply } from '../conversation/types.ts';
import type { Channel, Delivery } from '../store/schema.ts';
import type { IssueComposer } from './compose.ts';
import { createDeliverer, DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, processOwner, type DeliveryDeps } from './deliver.ts';
import { runPool } from './pool.ts';

export type { DeliveryDeps } from './deliver.ts';

/** What a broadcast did. */
export interface BroadcastResult {
  issueKey: string;
  sent: number;
  /** failed for good (blocked, chat gone) */
  failed: number;
  /** failed temporarily: pending, retried by a later cycle */
  retrying: number;
  /** the chat cannot be reached now (WeChat's 48-hour window): pending until it writes */
  waiting: number;
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

/**
 * Sends one issue to its subscribers, exactly once each, in these steps:
 * 1. enqueue: a pending delivery per active subscriber of a channel that can receive pushes
 *    (idempotent; subscribers who joined since an interrupted run are added);
 * 2. claim a batch (recorded before any send: the intent), send with up to `concurrency` in
 *    flight, recording each delivered part, then the outcome;
 * 3. announce the issue once no delivery of it is pending or claimed.
 * A blocked bot or vanished chat is a final "failed" and deactivates the subscriber. A
 * temporary failure (5xx, timeout, network) leaves the delivery pending with a backoff and stops
 * this run (an outage: the rest stays pending); a refused token stops it too. A chat that cannot
 * be reached now (an Official Account user outside WeChat's 48-hour window) waits, pending, and
 * gets it when it writes again (deliverWaiting). Subscribers of a channel not running in this
 * process stay pending for a process that runs it. The outcome rules: createDeliverer.
 */
export async function broadcast(issueKey: string, composer: IssueComposer, deps: DeliveryDeps): Promise<BroadcastResult> {
  const { store, clock, logger } = deps;
  const at = (): string => new Date(clock.now()).toISOString();
  const owner = deps.owner ?? processOwner;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;

  const audience = (await store.subscribers()).filter((s) => s.active && canPush(s.channel));
  await store.enqueue(
    issueKey,
    audience.map((s) => ({ channel: s.channel, chatId: s.chatId, topics: s.topics })),
    at(),
  );
  const channels = Object.keys(deps.senders).filter((c) => deps.senders[c]);
  const deliverer = createDeliverer({ ...deps, owner });

  while (!deliverer.stopped() && channels.length > 0) {
    const batch = await store.claim(issueKey, { owner, channels, limit: concurrency * 4, now: clock.now(), leaseMs });
    if (batch.length === 0) break;
    const back: Delivery[] = [];
    await runPool(batch, concurrency, async (d) => {
      if ((await deliverer.deliver(d, composer.forTopics(d.topics))) === 'release') back.push(d);
    });
    if (back.length) await store.release(back, at());
  }
  const result: BroadcastResult = { issueKey, ...deliverer.tally, pendingByChannel: (await store.progress(issueKey)).openByChannel, announced: false };
  const stop = deliverer.stopped();
  if (stop) result.stoppedBy = stop.message;
  result.announced = await store.announceIfDone(issueKey, at());
  logger.info(result, 'broadcast done');
  return result;
}
