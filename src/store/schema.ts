import { z } from 'zod';

/** Current version of the persisted store format. Bump it with a migration in load. */
export const STORE_VERSION = 1;

const iso = z.string().min(10);

/** wechat: a personal account through wechaty; wechat-mp: an Official Account (公众号); wecom: a WeCom (企业微信) app. */
export const ChannelSchema = z.enum(['telegram', 'wechat', 'console', 'wechat-mp', 'wecom']);
/** A chat app the bot speaks in. */
export type Channel = z.infer<typeof ChannelSchema>;

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

export const DeliverySchema = z.object({
  issueKey: z.string(),
  channel: ChannelSchema,
  chatId: z.string(),
  status: z.enum(['sent', 'failed']),
  attempts: z.number().int().nonnegative(),
  error: z.string().optional(),
  at: iso,
});
/** One (issue, subscriber) outcome: the delivery log that makes pushes exactly-once. */
export type Delivery = z.infer<typeof DeliverySchema>;

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

export const SessionSchema = z.object({
  query: z.string(),
  /** How many results of `query` were already shown. */
  shown: z.number().int().nonnegative(),
  lastClauseId: z.string().optional(),
  at: iso,
});
/** Per-chat paging state: the last question and how far "更多" got. */
export type Session = z.infer<typeof SessionSchema>;

export const StoreDataSchema = z.object({
  version: z.literal(STORE_VERSION),
  subscribers: z.array(SubscriberSchema),
  deliveries: z.array(DeliverySchema),
  feedback: z.array(FeedbackSchema),
  stats: z.object({ asked: z.number().int().nonnegative(), answered: z.number().int().nonnegative() }),
  unanswered: z.array(z.object({ query: z.string(), count: z.number().int().positive(), lastAt: iso })),
  sessions: z.record(z.string(), SessionSchema),
  /** Issues already announced (or present before the first push run), by issue key. */
  announced: z.array(z.string()),
});
/** Everything the bot persists. */
export type StoreData = z.infer<typeof StoreDataSchema>;

/** An empty store. */
export function emptyStore(): StoreData {
  return {
    version: STORE_VERSION,
    subscribers: [],
    deliveries: [],
    feedback: [],
    stats: { asked: 0, answered: 0 },
    unanswered: [],
    sessions: {},
    announced: [],
  };
}
