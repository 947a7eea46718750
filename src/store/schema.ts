import { z } from 'zod';

/**
 * Version of every persisted record: each line of the file store's logs carries it as `v`,
 * the PostgreSQL schema records it in policybot_meta. Bump it with a migration on open.
 */
export const STORE_VERSION = 2;

const iso = z.string().min(10);

/** A channel id (see src/channels/registry.ts): stored as text so new channels need no migration. */
export const ChannelSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);
/** A chat app the bot speaks in. */
export type Channel = string;

export const SubscriberSchema = z.object({
  channel: ChannelSchema,
  chatId: z.string().min(1),
  isGroup: z.boolean().default(false),
  /** Empty: every new issue; otherwise only documents and clauses matching a topic. */
  topics: z.array(z.string()),
  active: z.boolean(),
  /** Why it became inactive (blocked the bot, chat gone, unsubscribed). */
  inactiveReason: z.string().optional(),
  createdAt: iso,
  updatedAt: iso,
});
export type Subscriber = z.infer<typeof SubscriberSchema>;

export const FeedbackSchema = z.object({
  channel: ChannelSchema,
  chatId: z.string(),
  userId: z.string(),
  query: z.string(),
  clauseId: z.string(),
  useful: z.boolean(),
  at: iso,
});
export type Feedback = z.infer<typeof FeedbackSchema>;

/** How much feedback of each kind (👍, 👎) stays listable, newest first; the counts cover all. */
export const MAX_FEEDBACK_LISTED = 1000;

export const SessionSchema = z.object({
  query: z.string(),
  /** How many results of `query` were already shown. */
  shown: z.number().int().nonnegative(),
  lastClauseId: z.string().optional(),
  at: iso,
});
/** Per-chat paging state: the last question and how far "更多" got. */
export type Session = z.infer<typeof SessionSchema>;

/** How long a chat's paging state lives after its last question. */
export const SESSION_TTL_MS = 7 * 24 * 3600_000;

/** Questions the bot could not answer, kept (most frequent first) up to this many. */
export const MAX_UNANSWERED = 500;

export const UnansweredSchema = z.object({ query: z.string(), count: z.number().int().positive(), lastAt: iso });
export type Unanswered = z.infer<typeof UnansweredSchema>;

/**
 * The state of one (issue, subscriber) delivery. `pending`: to send (again), not before
 * `nextAttemptAt`; `claimed`: a worker took it and is sending (its intent, recorded before the
 * first send); `sent`: every part delivered; `failed`: failed for good (blocked, chat gone).
 */
export const DeliveryStatusSchema = z.enum(['pending', 'claimed', 'sent', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const DeliverySchema = z.object({
  issueKey: z.string().min(1),
  channel: ChannelSchema,
  chatId: z.string().min(1),
  topics: z.array(z.string()),
  status: DeliveryStatusSchema,
  /** Parts of the message already delivered: a resumed send starts at this part. */
  partsDone: z.number().int().nonnegative(),
  /** Send attempts that ended in a temporary failure. */
  attempts: z.number().int().nonnegative(),
  /** The worker holding a claim ("host:pid:nonce"). */
  owner: z.string().optional(),
  /** A claim not renewed by then may be taken over (its worker died). */
  leaseUntil: z.number().optional(),
  nextAttemptAt: z.number().optional(),
  error: z.string().optional(),
  at: iso,
});
/** One (issue, subscriber) delivery: the unit of exactly-once. */
export type Delivery = z.infer<typeof DeliverySchema>;

/** An issue that was announced (every delivery done), with its totals. */
export const AnnouncedSchema = z.object({ issueKey: z.string().min(1), at: iso, sent: z.number().int().nonnegative(), failed: z.number().int().nonnegative() });
export type Announced = z.infer<typeof AnnouncedSchema>;
