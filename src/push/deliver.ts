import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import type { Reply } from '../conversation/types.ts';
import type { Logger } from '../logger.ts';
import type { Channel, Delivery } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { noPacing, type Pacer } from './pacer.ts';
import { ChannelAuthError, DeferredSendError, PermanentSendError, type ChannelSender } from './sender.ts';

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
  /** How long a delivery may wait for its chat to become reachable (DeferredSendError) before it fails. */
  maxWaitMs?: number;
  /** This worker's id ("host:pid:nonce"). */
  owner?: string;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_RETRY_BACKOFF = { baseMs: 60_000, maxMs: 6 * 3600_000 };
export const DEFAULT_MAX_WAIT_MS = 7 * 24 * 3600_000;
/** Starts the error of a delivery that waits for its chat (so a second wait is known as one). */
export const WAITING = 'waiting: ';

/** What sending a batch of deliveries did. */
export interface DeliveryTally {
  sent: number;
  /** failed for good (blocked, chat gone, unsubscribed, waited too long) */
  failed: number;
  /** failed temporarily: pending, retried by a later cycle after a backoff */
  retrying: number;
  /** the chat cannot be reached now (WeChat's 48-hour window): pending until it can */
  waiting: number;
}

/** Sends claimed deliveries and records how each ended; stops the run on an outage or a refused token. */
export interface Deliverer {
  /** Sends one claimed delivery and records its outcome; 'release' when the run stopped before it was sent. */
  deliver(d: Delivery, reply: Reply): Promise<'done' | 'release'>;
  /** Why the run stopped, once it did. */
  stopped(): Error | undefined;
  readonly tally: DeliveryTally;
}

export const processOwner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

/**
 * The outcome rules of one delivery, shared by a broadcast and by a chat's catch-up:
 * - every part delivered: `sent`;
 * - the subscriber unsubscribed meanwhile: `failed` (unsubscribed), nothing sent;
 * - blocked, chat gone, bad request: `failed` for good (blocked/gone subscribers become inactive);
 * - the chat cannot be reached now (DeferredSendError): pending until it writes again, at most
 *   `maxWaitMs`; when a cycle finds it still unreachable after that, `failed` (expired);
 * - refused token: nothing recorded, the run stops;
 * - anything else (5xx, timeouts after the retries): pending with a backoff, the run stops.
 */
export function createDeliverer(deps: DeliveryDeps): Deliverer {
  const { store, clock, logger } = deps;
  const at = (): string => new Date(clock.now()).toISOString();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const backoff = deps.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const maxWait = deps.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const tally: DeliveryTally = { sent: 0, failed: 0, retrying: 0, waiting: 0 };
  let stop: Error | undefined;

  const fail = async (d: Delivery, error: string): Promise<'done'> => {
    await store.finish(d, { status: 'failed', error }, at());
    tally.failed++;
    return 'done';
  };

  return {
    tally,
    stopped: () => stop,
    async deliver(d, reply) {
      if (stop) return 'release';
      const sender = deps.senders[d.channel];
      if (!sender) return 'release';
      if (!(await store.subscriber(d))?.active) return fail(d, 'unsubscribed: the subscriber left before the push reached them');
      try {
        await sender.sendReply(d.chatId, reply, deps.pacers?.[d.channel] ?? noPacing, {
          fromPart: d.partsDone,
          onPart: (n) => store.recordParts(d, n, clock.now() + leaseMs, at()),
        });
        await store.finish(d, { status: 'sent' }, at());
        tally.sent++;
        return 'done';
      } catch (e) {
        if (e instanceof DeferredSendError) {
          const waited = d.error?.startsWith(WAITING) ?? false;
          const due = d.nextAttemptAt ?? 0;
          if (waited && due <= clock.now()) {
            logger.info({ channel: d.channel, chatId: d.chatId }, `push dropped: ${e.message} for ${Math.round(maxWait / 3600_000)} hours`);
            return fail(d, `expired: ${e.message} within ${Math.round(maxWait / 3600_000)} hours`);
          }
          // a wait keeps its deadline when the chat wrote but still could not be reached
          await store.finish(d, { status: 'retry', error: `${WAITING}${e.message}`, nextAttemptAt: waited ? due : clock.now() + maxWait }, at());
          tally.waiting++;
          return 'done';
        }
        if (e instanceof PermanentSendError) {
          await fail(d, `${e.reason}: ${e.message}`);
          logger.warn({ channel: d.channel, chatId: d.chatId, reason: e.reason }, `push to a subscriber failed: ${e.message}`);
          if (e.reason === 'blocked' || e.reason === 'chat-not-found') await store.deactivate(d, e.reason, at());
          return 'done';
        }
        if (e instanceof ChannelAuthError) {
          stop ??= e;
          return 'release';
        }
        // temporary (retries used up), or anything unexpected: pending again, later, and stop
        const wait = Math.min(backoff.baseMs * 2 ** d.attempts, backoff.maxMs);
        await store.finish(d, { status: 'retry', error: (e as Error).message, nextAttemptAt: clock.now() + wait }, at());
        tally.retrying++;
        stop ??= e as Error;
        logger.warn({ channel: d.channel, chatId: d.chatId, retryInMs: wait }, `push to a subscriber failed temporarily: ${(e as Error).message}`);
        return 'done';
      }
    },
  };
}
