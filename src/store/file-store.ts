import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DirLock, LOCK_STALE_MS } from './file-lock.ts';
import { JsonlLog, type LogHandle, type LogWarn } from './jsonl-log.ts';
import {
  AnnouncedSchema,
  DeliverySchema,
  FeedbackSchema,
  MAX_FEEDBACK_LISTED,
  MAX_UNANSWERED,
  SESSION_TTL_MS,
  SessionSchema,
  SubscriberSchema,
  UnansweredSchema,
  type Announced,
  type Delivery,
  type Feedback,
  type Session,
  type Subscriber,
  type Unanswered,
} from './schema.ts';
import type { ChatRef, DeliveryProgress, Store, StoreStats } from './store.ts';

const ChatEventSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('q'), key: z.string(), query: z.string(), answered: z.boolean(), at: z.string() }),
  z.object({ t: z.literal('s'), chatKey: z.string(), session: SessionSchema.nullable() }),
  z.object({ t: z.literal('in'), chatKey: z.string(), atMs: z.number() }),
  z.object({
    t: z.literal('snap'),
    asked: z.number().int().nonnegative(),
    answered: z.number().int().nonnegative(),
    unanswered: z.array(UnansweredSchema.extend({ key: z.string() })),
  }),
]);
type ChatEvent = z.infer<typeof ChatEventSchema>;

const subKey = (r: ChatRef): string => `${r.channel}\u0000${r.chatId}`;

/** noteInbound keeps a chat's last message to this resolution (one line a minute at most). */
const INBOUND_RESOLUTION_MS = 60_000;

/** Compaction: when a log holds this many more lines than live records (and at least MIN). */
const COMPACT_FACTOR = 2;
const COMPACT_MIN = 5000;

/** Whether the worker that holds a claim is known to be gone (same host, its pid not running). */
export function ownerIsDead(owner: string | undefined, self: string): boolean {
  if (!owner || owner === self) return false;
  const [host, pid] = owner.split(':');
  if (host !== hostname()) return false;
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return false;
  if (n === process.pid) return true; // a former process that had our pid
  try {
    process.kill(n, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The embedded store: one directory of append-only JSON-lines logs (subscribers, deliveries,
 * announced issues, chat state, feedback), each folded into memory and caught up from the
 * file before every read and every write. Every write is a short critical section under an
 * inter-process lock: catch up with what other processes appended, check, append whole
 * lines. So `npm start`, `push --once` and a second chat on the same data never erase each
 * other's changes, and no question rewrites the whole store. Logs are compacted (temp file +
 * rename) when superseded lines pile up: expired chat sessions and the per-subscriber records
 * of announced issues are dropped then.
 */
export async function openFileStore(
  dir: string,
  opts: {
    warn?: LogWarn;
    now?: () => number;
    compactMin?: number;
    /** fdatasync every append (the default; off only to measure what it costs) */
    durable?: boolean;
  } = {},
): Promise<Store> {
  const warn: LogWarn = opts.warn ?? (() => undefined);
  const durable = opts.durable ?? true;
  const now = opts.now ?? Date.now;
  const lock = new DirLock(dir, (e) => warn(`store lock compromised: ${e.message}`, { dir }), {
    onLongHold: (ms) => warn(`held the store lock for ${ms} ms (another process may take it over after ${LOCK_STALE_MS} ms without a refresh)`, { dir, ms }),
  });

  // subscribers
  const subs = new Map<string, Subscriber>();
  const subscribers = new JsonlLog(
    join(dir, 'subscribers.jsonl'),
    SubscriberSchema,
    { apply: (s) => void subs.set(subKey(s), s), reset: () => subs.clear() },
    warn,
    durable,
  );

  // deliveries, indexed per issue and by what a claim looks for
  const byIssue = new Map<string, { all: Map<string, Delivery>; pending: Set<string>; claimed: Set<string> }>();
  const issueOf = (k: string) => {
    let i = byIssue.get(k);
    if (!i) byIssue.set(k, (i = { all: new Map(), pending: new Set(), claimed: new Set() }));
    return i;
  };
  const deliveries = new JsonlLog(
    join(dir, 'deliveries.jsonl'),
    DeliverySchema,
    {
      apply(d) {
        const i = issueOf(d.issueKey);
        const k = subKey(d);
        i.all.set(k, d);
        i.pending.delete(k);
        i.claimed.delete(k);
        if (d.status === 'pending') i.pending.add(k);
        else if (d.status === 'claimed') i.claimed.add(k);
      },
      reset() {
        byIssue.clear();
      },
    },
    warn,
    durable,
  );

  const announcedMap = new Map<string, Announced>();
  const announced = new JsonlLog(
    join(dir, 'announced.jsonl'),
    AnnouncedSchema,
    { apply: (a) => void announcedMap.set(a.issueKey, a), reset: () => announcedMap.clear() },
    warn,
    durable,
  );

  // chat state
  const chat = { asked: 0, answered: 0, unanswered: new Map<string, Unanswered>(), sessions: new Map<string, Session>(), inbound: new Map<string, number>() };
  const trimUnanswered = (): void => {
    if (chat.unanswered.size <= MAX_UNANSWERED) return;
    const keep = [...chat.unanswered].sort((a, b) => b[1].count - a[1].count || b[1].lastAt.localeCompare(a[1].lastAt)).slice(0, MAX_UNANSWERED);
    chat.unanswered = new Map(keep);
  };
  const chatLog = new JsonlLog<ChatEvent>(
    join(dir, 'chat.jsonl'),
    ChatEventSchema,
    {
      apply(e) {
        if (e.t === 'q') {
          chat.asked++;
          if (e.answered) chat.answered++;
          else {
            const row = chat.unanswered.get(e.key);
            if (row) {
              row.count++;
              row.lastAt = e.at;
            } else chat.unanswered.set(e.key, { query: e.query, count: 1, lastAt: e.at });
            trimUnanswered();
          }
        } else if (e.t === 's') {
          if (e.session) chat.sessions.set(e.chatKey, e.session);
          else chat.sessions.delete(e.chatKey);
        } else if (e.t === 'in') {
          if (e.atMs > (chat.inbound.get(e.chatKey) ?? -Infinity)) chat.inbound.set(e.chatKey, e.atMs);
        } else {
          chat.asked = e.asked;
          chat.answered = e.answered;
          chat.unanswered = new Map(e.unanswered.map(({ key, ...u }) => [key, u]));
        }
      },
      reset() {
        chat.asked = 0;
        chat.answered = 0;
        chat.unanswered.clear();
        chat.sessions.clear();
        chat.inbound.clear();
      },
    },
    warn,
    durable,
  );

  // counts of all feedback; the newest of each kind (👍/👎) for listing, oldest first
  const fb = { total: 0, useful: 0, recent: { up: [] as Feedback[], down: [] as Feedback[] } };
  const feedback = new JsonlLog(
    join(dir, 'feedback.jsonl'),
    FeedbackSchema,
    {
      apply(f) {
        fb.total += 1;
        fb.useful += f.useful ? 1 : 0;
        const list = f.useful ? fb.recent.up : fb.recent.down;
        list.push(f);
        if (list.length > 2 * MAX_FEEDBACK_LISTED) list.splice(0, list.length - MAX_FEEDBACK_LISTED);
      },
      reset() {
        fb.total = 0;
        fb.useful = 0;
        fb.recent = { up: [], down: [] };
      },
    },
    warn,
    durable,
  );

  const logs = [subscribers, deliveries, announced, chatLog, feedback];
  const catchUp = (...which: LogHandle[]): void => {
    for (const l of which.length ? which : logs) l.catchUp();
  };
  /** A write: under the lock, caught up first. */
  const write = <T>(which: LogHandle[], fn: () => T): Promise<T> =>
    lock.run(() => {
      catchUp(...which);
      return fn();
    });

  const compactChat = (): void => {
    const cutoff = now() - SESSION_TTL_MS;
    const live = [...chat.sessions].filter(([, s]) => Date.parse(s.at) >= cutoff);
    const seen = [...chat.inbound].filter(([, t]) => t >= cutoff);
    chatLog.compact([
      { t: 'snap', asked: chat.asked, answered: chat.answered, unanswered: [...chat.unanswered].map(([key, u]) => ({ key, ...u })) },
      ...live.map(([chatKey, session]) => ({ t: 's' as const, chatKey, session })),
      ...seen.map(([chatKey, atMs]) => ({ t: 'in' as const, chatKey, atMs })),
    ]);
    chat.sessions = new Map(live);
    chat.inbound = new Map(seen);
  };
  const compactDeliveries = (): void => {
    const keep: Delivery[] = [];
    for (const [k, i] of byIssue) {
      if (announcedMap.has(k)) byIssue.delete(k);
      else keep.push(...i.all.values());
    }
    deliveries.compact(keep);
  };
  const maybeCompact = (log: LogHandle, live: number, compact: () => void): void => {
    if (log.lines > Math.max(opts.compactMin ?? COMPACT_MIN, live * COMPACT_FACTOR)) compact();
  };

  // the long part of opening, folding every log, needs no lock (readers take whole lines only):
  // the lock is held just to catch up with what was appended meanwhile, and to compact
  catchUp();
  await lock.run(() => {
    catchUp();
    // a restart is a good moment to drop expired sessions and finished issues
    if (chatLog.exists()) compactChat();
    if (deliveries.exists() && [...byIssue.keys()].some((k) => announcedMap.has(k))) compactDeliveries();
  });

  const store: Store = {
    kind: 'file',
    subscribe: (s, at) =>
      write([subscribers], () => {
        const old = subs.get(subKey(s));
        subscribers.append([
          { channel: s.channel, chatId: s.chatId, isGroup: s.isGroup, topics: s.topics, active: true, createdAt: old?.createdAt ?? at, updatedAt: at },
        ]);
        maybeCompact(subscribers, subs.size, () => subscribers.compact([...subs.values()]));
      }),
    deactivate: (ref, reason, at) =>
      write([subscribers], () => {
        const old = subs.get(subKey(ref));
        if (!old?.active) return false;
        subscribers.append([{ ...old, active: false, inactiveReason: reason, updatedAt: at }]);
        return true;
      }),
    async subscriber(ref) {
      subscribers.catchUp();
      return subs.get(subKey(ref));
    },
    async subscribers() {
      subscribers.catchUp();
      return [...subs.values()];
    },
    recordQuestion: (q, at) =>
      write([chatLog], () => {
        chatLog.append([{ t: 'q', key: q.key, query: q.query.slice(0, 100), answered: q.answered, at }]);
        maybeCompact(chatLog, chat.sessions.size + chat.inbound.size + 1, compactChat);
      }),
    async session(chatKey, t) {
      chatLog.catchUp();
      const s = chat.sessions.get(chatKey);
      return s && Date.parse(s.at) >= t - SESSION_TTL_MS ? s : undefined;
    },
    setSession: (chatKey, session) =>
      write([chatLog], () => {
        if (!session && !chat.sessions.has(chatKey)) return;
        chatLog.append([{ t: 's', chatKey, session }]);
        maybeCompact(chatLog, chat.sessions.size + chat.inbound.size + 1, compactChat);
      }),
    async noteInbound(ref, atMs) {
      const key = subKey(ref);
      chatLog.catchUp();
      // kept to the minute: a chat writing every few seconds adds one line a minute
      if ((chat.inbound.get(key) ?? -Infinity) > atMs - INBOUND_RESOLUTION_MS) return;
      await write([chatLog], () => {
        if ((chat.inbound.get(key) ?? -Infinity) > atMs - INBOUND_RESOLUTION_MS) return;
        chatLog.append([{ t: 'in', chatKey: key, atMs }]);
        maybeCompact(chatLog, chat.sessions.size + chat.inbound.size + 1, compactChat);
      });
    },
    async lastInbound(ref) {
      chatLog.catchUp();
      return chat.inbound.get(subKey(ref));
    },
    addFeedback: (f) => write([feedback], () => feedback.append([f])),
    async feedback({ useful, limit }) {
      feedback.catchUp();
      const lists = useful === undefined ? [fb.recent.up, fb.recent.down] : [useful ? fb.recent.up : fb.recent.down];
      const kept = lists.flatMap((l) => l.slice(-MAX_FEEDBACK_LISTED));
      return kept.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
    },
    async stats(): Promise<StoreStats> {
      catchUp(chatLog, feedback);
      return {
        asked: chat.asked,
        answered: chat.answered,
        feedback: fb.total,
        useful: fb.useful,
        unanswered: [...chat.unanswered.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)),
      };
    },
    async announced() {
      announced.catchUp();
      return [...announcedMap.keys()];
    },
    async announcements() {
      announced.catchUp();
      return [...announcedMap.values()];
    },
    markAnnounced: (keys, at) =>
      write([announced], () => announced.append(keys.filter((k) => !announcedMap.has(k)).map((issueKey) => ({ issueKey, at, sent: 0, failed: 0 })))),
    enqueue: (issueKey, targets, at) =>
      write([deliveries, announced], () => {
        if (announcedMap.has(issueKey)) return 0;
        const have = byIssue.get(issueKey)?.all;
        const add: Delivery[] = [];
        for (const t of targets) {
          if (have?.has(subKey(t))) continue;
          add.push({ issueKey, channel: t.channel, chatId: t.chatId, topics: t.topics, status: 'pending', partsDone: 0, attempts: 0, at });
        }
        deliveries.append(add);
        return add.length;
      }),
    claim: (issueKey, req) =>
      write([deliveries], () => {
        const i = byIssue.get(issueKey);
        if (!i) return [];
        const channels = new Set(req.channels);
        const out: Delivery[] = [];
        const at = new Date(req.now).toISOString();
        const take = (k: string): void => {
          const d = i.all.get(k)!;
          if (!channels.has(d.channel)) return;
          out.push({ ...d, status: 'claimed', owner: req.owner, leaseUntil: req.now + req.leaseMs, at });
        };
        for (const k of i.pending) {
          if (out.length >= req.limit) break;
          const d = i.all.get(k)!;
          if ((d.nextAttemptAt ?? 0) <= req.now) take(k);
        }
        for (const k of i.claimed) {
          if (out.length >= req.limit) break;
          const d = i.all.get(k)!;
          if ((d.leaseUntil ?? 0) < req.now || ownerIsDead(d.owner, req.owner)) take(k);
        }
        deliveries.append(out);
        return out;
      }),
    claimChat: (ref, req) =>
      write([deliveries, announced], () => {
        const k = subKey(ref);
        const out: Delivery[] = [];
        const at = new Date(req.now).toISOString();
        for (const [issueKey, i] of byIssue) {
          if (announcedMap.has(issueKey)) continue;
          const d = i.all.get(k);
          if (!d) continue;
          const stale = d.status === 'claimed' && ((d.leaseUntil ?? 0) < req.now || ownerIsDead(d.owner, req.owner));
          if (d.status === 'pending' || stale) out.push({ ...d, status: 'claimed', owner: req.owner, leaseUntil: req.now + req.leaseMs, at });
        }
        deliveries.append(out);
        return out;
      }),
    recordParts: (d, partsDone, leaseUntil, at) =>
      write([deliveries], () => {
        const cur = byIssue.get(d.issueKey)?.all.get(subKey(d));
        if (cur?.status !== 'claimed' || cur.owner !== d.owner) return;
        deliveries.append([{ ...cur, partsDone, leaseUntil, at }]);
      }),
    finish: (d, outcome, at) =>
      write([deliveries], () => {
        const cur = byIssue.get(d.issueKey)?.all.get(subKey(d));
        if (cur?.status !== 'claimed' || cur.owner !== d.owner) return;
        const { owner: _o, leaseUntil: _l, nextAttemptAt: _n, error: _e, ...base } = cur;
        if (outcome.status === 'sent') deliveries.append([{ ...base, status: 'sent', at }]);
        else if (outcome.status === 'failed') deliveries.append([{ ...base, status: 'failed', error: outcome.error, at }]);
        else deliveries.append([{ ...base, status: 'pending', attempts: cur.attempts + 1, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt, at }]);
      }),
    release: (ds, at) =>
      write([deliveries], () => {
        const back: Delivery[] = [];
        for (const d of ds) {
          const cur = byIssue.get(d.issueKey)?.all.get(subKey(d));
          if (cur?.status !== 'claimed' || cur.owner !== d.owner) continue;
          const { owner: _o, leaseUntil: _l, ...base } = cur;
          back.push({ ...base, status: 'pending', at });
        }
        deliveries.append(back);
      }),
    async progress(issueKey): Promise<DeliveryProgress> {
      deliveries.catchUp();
      const p: DeliveryProgress = { pending: 0, claimed: 0, sent: 0, failed: 0, openByChannel: {} };
      for (const d of byIssue.get(issueKey)?.all.values() ?? []) {
        p[d.status]++;
        if (d.status === 'pending' || d.status === 'claimed') p.openByChannel[d.channel] = (p.openByChannel[d.channel] ?? 0) + 1;
      }
      return p;
    },
    announceIfDone: (issueKey, at) =>
      write([deliveries, announced], () => {
        if (announcedMap.has(issueKey)) return true;
        const i = byIssue.get(issueKey);
        if (i && (i.pending.size > 0 || i.claimed.size > 0)) return false;
        let sent = 0;
        let failed = 0;
        for (const d of i?.all.values() ?? []) d.status === 'sent' ? sent++ : failed++;
        announced.append([{ issueKey, at, sent, failed }]);
        maybeCompact(deliveries, 0, compactDeliveries);
        return true;
      }),
    async close() {
      await lock.run(() => undefined);
    },
  };
  return store;
}
