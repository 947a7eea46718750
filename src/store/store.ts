import type { Announced, Channel, Delivery, Feedback, Session, Subscriber, Unanswered } from './schema.ts';

/** Which subscriber: a chat in a channel. */
export interface ChatRef {
  channel: Channel;
  chatId: string;
}

/** Counters and lists the /stats command shows. */
export interface StoreStats {
  asked: number;
  answered: number;
  feedback: number;
  useful: number;
  /** Most frequent unanswered questions first. */
  unanswered: Unanswered[];
}

/** Where the deliveries of one issue stand. */
export interface DeliveryProgress {
  pending: number;
  claimed: number;
  sent: number;
  failed: number;
  /** Pending or claimed, per channel. */
  openByChannel: Record<string, number>;
}

/** How a claimed delivery ended. `retry`: a temporary failure, to try again from `nextAttemptAt`. */
export type DeliveryOutcome = { status: 'sent' } | { status: 'failed'; error: string } | { status: 'retry'; error: string; nextAttemptAt: number };

/** What a worker asks for when it claims deliveries. */
export interface ClaimRequest {
  /** "host:pid:nonce" of the claiming worker. */
  owner: string;
  /** Only deliveries of these channels (the ones this process can send to). */
  channels: readonly Channel[];
  limit: number;
  /** Epoch ms (the injected clock). */
  now: number;
  /** How long the claim holds without renewal. */
  leaseMs: number;
}

/**
 * The bot's persistent state. Two implementations share this interface and one test suite:
 * the file store (lowdb-style files under an inter-process lock, default) and PostgreSQL
 * (POLICYBOT_DATABASE_URL). Every method is one short atomic step that is safe with several
 * processes on the same data; nothing holds a whole-store copy that could overwrite another
 * process's change.
 */
export interface Store {
  /** "file" or "postgres": for logs and the README's guarantees. */
  readonly kind: 'file' | 'postgres';

  /** Adds or reactivates a subscriber with these topics. */
  subscribe(s: ChatRef & { isGroup: boolean; topics: string[] }, at: string): Promise<void>;
  /** Deactivates a subscriber; false when it was not active. */
  deactivate(ref: ChatRef, reason: string, at: string): Promise<boolean>;
  subscriber(ref: ChatRef): Promise<Subscriber | undefined>;
  /** All subscribers, active or not. */
  subscribers(): Promise<Subscriber[]>;

  /** Counts a question; an unanswered one is kept (normalised by `key`) for /stats. */
  recordQuestion(q: { query: string; key: string; answered: boolean }, at: string): Promise<void>;
  /** A chat's paging state, unless it expired (SESSION_TTL_MS after `at`). */
  session(chatKey: string, now: number): Promise<Session | undefined>;
  setSession(chatKey: string, session: Session | null): Promise<void>;
  addFeedback(f: Feedback): Promise<void>;
  /**
   * Records that a chat wrote to the bot (epoch ms; an earlier time than the one kept is
   * ignored). WeChat's 48-hour customer-service window counts from it, and every process on the
   * same store sees it.
   */
  noteInbound(ref: ChatRef, atMs: number): Promise<void>;
  /** When the chat last wrote, as far as the last SESSION_TTL_MS go. */
  lastInbound(ref: ChatRef): Promise<number | undefined>;
  /**
   * Feedback, newest first: 👍 (`useful: true`), 👎 (`useful: false`) or both; at most `limit`
   * (the newest MAX_FEEDBACK_LISTED of each kind are kept for listing).
   */
  feedback(q: { useful?: boolean; limit: number }): Promise<Feedback[]>;
  stats(): Promise<StoreStats>;

  /** Keys of issues announced (or present before the first push run). */
  announced(): Promise<string[]>;
  /** Records issues as announced without a broadcast (the first run's existing issues). */
  markAnnounced(issueKeys: readonly string[], at: string): Promise<void>;
  announcements(): Promise<Announced[]>;

  /**
   * Queues an issue for these subscribers: creates a pending delivery for each one that has
   * none yet for this issue (idempotent). Returns how many were added.
   */
  enqueue(issueKey: string, targets: ReadonlyArray<ChatRef & { topics: string[] }>, at: string): Promise<number>;
  /**
   * Claims up to `limit` deliveries of an issue for one worker: pending ones due by `now`, and
   * claims whose lease ran out (their worker died). The claim is recorded before this returns,
   * so two workers never get the same delivery.
   */
  claim(issueKey: string, req: ClaimRequest): Promise<Delivery[]>;
  /** Records that `partsDone` parts of a claimed delivery went out, and renews its lease. */
  recordParts(d: Delivery, partsDone: number, leaseUntil: number, at: string): Promise<void>;
  /** Records how a claimed delivery ended. */
  finish(d: Delivery, outcome: DeliveryOutcome, at: string): Promise<void>;
  /**
   * Claims every pending delivery of one chat in issues not yet announced, due or not (and
   * claims whose lease ran out): the chat just became reachable again — an Official Account
   * user wrote, opening WeChat's 48-hour window.
   */
  claimChat(ref: ChatRef, req: Omit<ClaimRequest, 'channels' | 'limit'>): Promise<Delivery[]>;
  /** Hands claimed deliveries back (pending, due now) when a worker stops early. */
  release(ds: readonly Delivery[], at: string): Promise<void>;
  progress(issueKey: string): Promise<DeliveryProgress>;
  /**
   * Marks the issue announced when it has deliveries queued and none is pending or claimed;
   * returns whether it is announced now. Its per-subscriber records may then be compacted.
   */
  announceIfDone(issueKey: string, at: string): Promise<boolean>;

  close(): Promise<void>;
}
