import pg from 'pg';
import { PolicyBotError } from '../errors.ts';
import { ownerIsDead } from './file-store.ts';
import { MAX_FEEDBACK_LISTED, MAX_UNANSWERED, SESSION_TTL_MS, SessionSchema, STORE_VERSION, type Delivery, type Subscriber } from './schema.ts';
import type { DeliveryProgress, Store } from './store.ts';

/** The schema, created on first open (idempotent); the version is kept in policybot_meta. */
const DDL = `
CREATE TABLE IF NOT EXISTS policybot_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS policybot_subscribers (
  channel text NOT NULL, chat_id text NOT NULL, is_group boolean NOT NULL, topics jsonb NOT NULL,
  active boolean NOT NULL, inactive_reason text, created_at text NOT NULL, updated_at text NOT NULL,
  PRIMARY KEY (channel, chat_id));
CREATE TABLE IF NOT EXISTS policybot_deliveries (
  issue_key text NOT NULL, channel text NOT NULL, chat_id text NOT NULL, topics jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending','claimed','sent','failed')),
  parts_done integer NOT NULL DEFAULT 0, attempts integer NOT NULL DEFAULT 0, owner text, lease_until bigint,
  next_attempt_at bigint, error text, at text NOT NULL,
  PRIMARY KEY (issue_key, channel, chat_id));
CREATE INDEX IF NOT EXISTS policybot_deliveries_open ON policybot_deliveries (issue_key, status) WHERE status IN ('pending','claimed');
CREATE INDEX IF NOT EXISTS policybot_deliveries_chat ON policybot_deliveries (channel, chat_id) WHERE status IN ('pending','claimed');
CREATE TABLE IF NOT EXISTS policybot_delivery_parts (
  issue_key text NOT NULL, channel text NOT NULL, chat_id text NOT NULL, part integer NOT NULL, at text NOT NULL,
  PRIMARY KEY (issue_key, channel, chat_id, part));
CREATE TABLE IF NOT EXISTS policybot_announced (issue_key text PRIMARY KEY, at text NOT NULL, sent integer NOT NULL, failed integer NOT NULL);
CREATE TABLE IF NOT EXISTS policybot_counters (name text PRIMARY KEY, value bigint NOT NULL);
CREATE TABLE IF NOT EXISTS policybot_unanswered (key text PRIMARY KEY, query text NOT NULL, count integer NOT NULL, last_at text NOT NULL);
CREATE TABLE IF NOT EXISTS policybot_sessions (chat_key text PRIMARY KEY, session jsonb NOT NULL, at_ms bigint NOT NULL);
CREATE TABLE IF NOT EXISTS policybot_inbound (channel text NOT NULL, chat_id text NOT NULL, at_ms bigint NOT NULL, PRIMARY KEY (channel, chat_id));
CREATE TABLE IF NOT EXISTS policybot_feedback (
  id bigserial PRIMARY KEY, channel text NOT NULL, chat_id text NOT NULL, user_id text NOT NULL, query text NOT NULL,
  clause_id text NOT NULL, useful boolean NOT NULL, at text NOT NULL);
`;

/** A database URL with its password hidden, for messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

type Row = Record<string, unknown>;
const toSubscriber = (r: Row): Subscriber => ({
  channel: r.channel as string,
  chatId: r.chat_id as string,
  isGroup: r.is_group as boolean,
  topics: r.topics as string[],
  active: r.active as boolean,
  ...(r.inactive_reason ? { inactiveReason: r.inactive_reason as string } : {}),
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});
const toDelivery = (r: Row): Delivery => ({
  issueKey: r.issue_key as string,
  channel: r.channel as string,
  chatId: r.chat_id as string,
  topics: r.topics as string[],
  status: r.status as Delivery['status'],
  partsDone: r.parts_done as number,
  attempts: r.attempts as number,
  ...(r.owner ? { owner: r.owner as string } : {}),
  ...(r.lease_until != null ? { leaseUntil: Number(r.lease_until) } : {}),
  ...(r.next_attempt_at != null ? { nextAttemptAt: Number(r.next_attempt_at) } : {}),
  ...(r.error ? { error: r.error as string } : {}),
  at: r.at as string,
});

/**
 * The PostgreSQL store (POLICYBOT_DATABASE_URL), for several bot processes on one database:
 * every method is one statement or one transaction; deliveries are claimed with
 * `SELECT … FOR UPDATE SKIP LOCKED`, so workers share an issue's fan-out without double sends;
 * (issue, subscriber) and (issue, subscriber, part) are unique keys.
 */
export async function openPgStore(url: string, opts: { statementTimeoutMs?: number; connectTimeoutMs?: number } = {}): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    // a CLI command ends when its work is done, without waiting for idle connections to time out
    allowExitOnIdle: true,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    query_timeout: (opts.statementTimeoutMs ?? 30_000) + 5000,
  });
  pool.on('error', () => undefined); // an idle client lost: the next query reconnects
  const q = async (text: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> => {
    try {
      return await pool.query(text, values);
    } catch (e) {
      throw unavailable(e);
    }
  };
  const unavailable = (e: unknown): Error => {
    const code = (e as { code?: string }).code;
    // SQL errors (a 5-character SQLSTATE) are bugs or constraint failures: keep them as they are
    if (code && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57')) return e as Error;
    return new PolicyBotError(
      'STORE_UNAVAILABLE',
      `PostgreSQL at ${redactDatabaseUrl(url)} is unavailable (${(e as Error).message}): check POLICYBOT_DATABASE_URL and that the server runs`,
      undefined,
      { cause: e },
    );
  };
  const tx = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    let c: pg.PoolClient;
    try {
      c = await pool.connect();
    } catch (e) {
      throw unavailable(e);
    }
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };

  // create or check the schema, one process at a time
  await tx(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock(7351002)');
    await c.query(DDL);
    const v = await c.query(`SELECT value FROM policybot_meta WHERE key = 'version'`);
    const have = v.rows[0] ? Number(v.rows[0].value) : undefined;
    if (have !== undefined && have > STORE_VERSION) {
      throw new PolicyBotError(
        'STORE_VERSION',
        `the database at ${redactDatabaseUrl(url)} has PolicyBot schema ${have}; this PolicyBot reads ${STORE_VERSION}`,
      );
    }
    await c.query(`INSERT INTO policybot_meta (key, value) VALUES ('version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [
      String(STORE_VERSION),
    ]);
  });

  let writes = 0;
  const housekeeping = async (now: number): Promise<void> => {
    if (++writes % 500 !== 1) return;
    await q('DELETE FROM policybot_sessions WHERE at_ms < $1', [now - SESSION_TTL_MS]);
    await q('DELETE FROM policybot_inbound WHERE at_ms < $1', [now - SESSION_TTL_MS]);
    await q(`DELETE FROM policybot_unanswered WHERE key IN (SELECT key FROM policybot_unanswered ORDER BY count DESC, last_at DESC OFFSET $1)`, [
      MAX_UNANSWERED,
    ]);
  };

  const store: Store = {
    kind: 'postgres',
    async subscribe(s, at) {
      await q(
        `INSERT INTO policybot_subscribers (channel, chat_id, is_group, topics, active, created_at, updated_at) VALUES ($1,$2,$3,$4,true,$5,$5)
         ON CONFLICT (channel, chat_id) DO UPDATE SET is_group = EXCLUDED.is_group, topics = EXCLUDED.topics, active = true, inactive_reason = NULL, updated_at = EXCLUDED.updated_at`,
        [s.channel, s.chatId, s.isGroup, JSON.stringify(s.topics), at],
      );
    },
    async deactivate(ref, reason, at) {
      const r = await q(
        `UPDATE policybot_subscribers SET active = false, inactive_reason = $3, updated_at = $4 WHERE channel = $1 AND chat_id = $2 AND active`,
        [ref.channel, ref.chatId, reason, at],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async subscriber(ref) {
      const r = await q('SELECT * FROM policybot_subscribers WHERE channel = $1 AND chat_id = $2', [ref.channel, ref.chatId]);
      return r.rows[0] ? toSubscriber(r.rows[0]) : undefined;
    },
    async subscribers() {
      return (await q('SELECT * FROM policybot_subscribers ORDER BY channel, chat_id')).rows.map(toSubscriber);
    },
    async recordQuestion(qq, at) {
      await tx(async (c) => {
        await c.query(`INSERT INTO policybot_counters (name, value) VALUES ('asked', 1) ON CONFLICT (name) DO UPDATE SET value = policybot_counters.value + 1`);
        if (qq.answered)
          await c.query(
            `INSERT INTO policybot_counters (name, value) VALUES ('answered', 1) ON CONFLICT (name) DO UPDATE SET value = policybot_counters.value + 1`,
          );
        else {
          await c.query(
            `INSERT INTO policybot_unanswered (key, query, count, last_at) VALUES ($1, $2, 1, $3)
             ON CONFLICT (key) DO UPDATE SET count = policybot_unanswered.count + 1, last_at = EXCLUDED.last_at`,
            [qq.key, qq.query.slice(0, 100), at],
          );
        }
      });
      await housekeeping(Date.parse(at));
    },
    async session(chatKey, now) {
      const r = await q('SELECT session FROM policybot_sessions WHERE chat_key = $1 AND at_ms >= $2', [chatKey, now - SESSION_TTL_MS]);
      return r.rows[0] ? SessionSchema.parse(r.rows[0].session) : undefined;
    },
    async setSession(chatKey, session) {
      if (!session) {
        await q('DELETE FROM policybot_sessions WHERE chat_key = $1', [chatKey]);
        return;
      }
      const s = SessionSchema.parse(session);
      await q(
        `INSERT INTO policybot_sessions (chat_key, session, at_ms) VALUES ($1, $2, $3) ON CONFLICT (chat_key) DO UPDATE SET session = EXCLUDED.session, at_ms = EXCLUDED.at_ms`,
        [chatKey, JSON.stringify(s), Date.parse(s.at)],
      );
    },
    async noteInbound(ref, atMs) {
      await q(
        `INSERT INTO policybot_inbound (channel, chat_id, at_ms) VALUES ($1, $2, $3)
         ON CONFLICT (channel, chat_id) DO UPDATE SET at_ms = GREATEST(policybot_inbound.at_ms, EXCLUDED.at_ms)`,
        [ref.channel, ref.chatId, atMs],
      );
    },
    async lastInbound(ref) {
      const r = await q('SELECT at_ms FROM policybot_inbound WHERE channel = $1 AND chat_id = $2', [ref.channel, ref.chatId]);
      return r.rows[0] ? Number(r.rows[0].at_ms) : undefined;
    },
    async addFeedback(f) {
      await q(`INSERT INTO policybot_feedback (channel, chat_id, user_id, query, clause_id, useful, at) VALUES ($1,$2,$3,$4,$5,$6,$7)`, [
        f.channel,
        f.chatId,
        f.userId,
        f.query,
        f.clauseId,
        f.useful,
        f.at,
      ]);
    },
    async feedback({ useful, limit }) {
      const r = await q(`SELECT * FROM policybot_feedback WHERE ($1::boolean IS NULL OR useful = $1) ORDER BY at DESC, id DESC LIMIT $2`, [
        useful ?? null,
        Math.min(limit, useful === undefined ? 2 * MAX_FEEDBACK_LISTED : MAX_FEEDBACK_LISTED),
      ]);
      return r.rows.map((f) => ({
        channel: f.channel as string,
        chatId: f.chat_id as string,
        userId: f.user_id as string,
        query: f.query as string,
        clauseId: f.clause_id as string,
        useful: f.useful as boolean,
        at: f.at as string,
      }));
    },
    async stats() {
      const c = await q(`SELECT name, value FROM policybot_counters`);
      const get = (n: string): number => Number(c.rows.find((r) => r.name === n)?.value ?? 0);
      const f = await q(`SELECT count(*) AS total, count(*) FILTER (WHERE useful) AS useful FROM policybot_feedback`);
      const u = await q(`SELECT query, count, last_at FROM policybot_unanswered ORDER BY count DESC, last_at DESC LIMIT $1`, [MAX_UNANSWERED]);
      return {
        asked: get('asked'),
        answered: get('answered'),
        feedback: Number(f.rows[0]!.total),
        useful: Number(f.rows[0]!.useful),
        unanswered: u.rows.map((r) => ({ query: r.query as string, count: r.count as number, lastAt: r.last_at as string })),
      };
    },
    async announced() {
      return (await q('SELECT issue_key FROM policybot_announced ORDER BY issue_key')).rows.map((r) => r.issue_key as string);
    },
    async announcements() {
      return (await q('SELECT * FROM policybot_announced ORDER BY at, issue_key')).rows.map((r) => ({
        issueKey: r.issue_key as string,
        at: r.at as string,
        sent: r.sent as number,
        failed: r.failed as number,
      }));
    },
    async markAnnounced(keys, at) {
      if (keys.length === 0) return;
      await q(`INSERT INTO policybot_announced (issue_key, at, sent, failed) SELECT k, $2, 0, 0 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING`, [
        keys,
        at,
      ]);
    },
    async enqueue(issueKey, targets, at) {
      return tx(async (c) => {
        const done = await c.query('SELECT 1 FROM policybot_announced WHERE issue_key = $1', [issueKey]);
        if (done.rowCount) return 0;
        let added = 0;
        for (let i = 0; i < targets.length; i += 5000) {
          const part = targets.slice(i, i + 5000);
          const r = await c.query(
            `INSERT INTO policybot_deliveries (issue_key, channel, chat_id, topics, status, at)
             SELECT $1, t.channel, t.chat_id, t.topics, 'pending', $2 FROM jsonb_to_recordset($3::jsonb) AS t(channel text, chat_id text, topics jsonb)
             ON CONFLICT DO NOTHING`,
            [issueKey, at, JSON.stringify(part.map((t) => ({ channel: t.channel, chat_id: t.chatId, topics: t.topics })))],
          );
          added += r.rowCount ?? 0;
        }
        return added;
      });
    },
    async claim(issueKey, req) {
      const owners = await q(`SELECT DISTINCT owner FROM policybot_deliveries WHERE issue_key = $1 AND status = 'claimed'`, [issueKey]);
      const dead = owners.rows.map((r) => r.owner as string).filter((o) => ownerIsDead(o, req.owner));
      const r = await q(
        `UPDATE policybot_deliveries d SET status = 'claimed', owner = $2, lease_until = $3::bigint + $5::bigint, at = $6
         FROM (SELECT issue_key, channel, chat_id FROM policybot_deliveries
               WHERE issue_key = $1 AND channel = ANY($4::text[])
                 AND ((status = 'pending' AND coalesce(next_attempt_at, 0) <= $3::bigint)
                   OR (status = 'claimed' AND (lease_until < $3::bigint OR owner = ANY($8::text[]))))
               ORDER BY channel, chat_id LIMIT $7 FOR UPDATE SKIP LOCKED) c
         WHERE d.issue_key = c.issue_key AND d.channel = c.channel AND d.chat_id = c.chat_id
         RETURNING d.*`,
        [issueKey, req.owner, req.now, [...req.channels], req.leaseMs, new Date(req.now).toISOString(), req.limit, dead],
      );
      return r.rows.map(toDelivery);
    },
    async claimChat(ref, req) {
      const owners = await q(`SELECT DISTINCT owner FROM policybot_deliveries WHERE channel = $1 AND chat_id = $2 AND status = 'claimed'`, [
        ref.channel,
        ref.chatId,
      ]);
      const dead = owners.rows.map((r) => r.owner as string).filter((o) => ownerIsDead(o, req.owner));
      const r = await q(
        `UPDATE policybot_deliveries d SET status = 'claimed', owner = $3, lease_until = $4::bigint + $5::bigint, at = $6
         FROM (SELECT issue_key, channel, chat_id FROM policybot_deliveries x
               WHERE channel = $1 AND chat_id = $2
                 AND NOT EXISTS (SELECT 1 FROM policybot_announced a WHERE a.issue_key = x.issue_key)
                 AND (status = 'pending' OR (status = 'claimed' AND (lease_until < $4::bigint OR owner = ANY($7::text[]))))
               FOR UPDATE SKIP LOCKED) c
         WHERE d.issue_key = c.issue_key AND d.channel = c.channel AND d.chat_id = c.chat_id
         RETURNING d.*`,
        [ref.channel, ref.chatId, req.owner, req.now, req.leaseMs, new Date(req.now).toISOString(), dead],
      );
      return r.rows.map(toDelivery);
    },
    async recordParts(d, partsDone, leaseUntil, at) {
      await tx(async (c) => {
        const r = await c.query(
          `UPDATE policybot_deliveries SET parts_done = $5, lease_until = $6, at = $7 WHERE issue_key = $1 AND channel = $2 AND chat_id = $3 AND status = 'claimed' AND owner = $4`,
          [d.issueKey, d.channel, d.chatId, d.owner, partsDone, leaseUntil, at],
        );
        if (!r.rowCount) return;
        await c.query(
          `INSERT INTO policybot_delivery_parts (issue_key, channel, chat_id, part, at) SELECT $1, $2, $3, p, $5 FROM generate_series(0, $4::int - 1) AS p ON CONFLICT DO NOTHING`,
          [d.issueKey, d.channel, d.chatId, partsDone, at],
        );
      });
    },
    async finish(d, outcome, at) {
      const where = `WHERE issue_key = $1 AND channel = $2 AND chat_id = $3 AND status = 'claimed' AND owner = $4`;
      const key = [d.issueKey, d.channel, d.chatId, d.owner];
      if (outcome.status === 'sent')
        await q(`UPDATE policybot_deliveries SET status = 'sent', owner = NULL, lease_until = NULL, error = NULL, at = $5 ${where}`, [...key, at]);
      else if (outcome.status === 'failed')
        await q(`UPDATE policybot_deliveries SET status = 'failed', owner = NULL, lease_until = NULL, error = $5, at = $6 ${where}`, [
          ...key,
          outcome.error,
          at,
        ]);
      else {
        await q(
          `UPDATE policybot_deliveries SET status = 'pending', owner = NULL, lease_until = NULL, attempts = attempts + 1, error = $5, next_attempt_at = $6, at = $7 ${where}`,
          [...key, outcome.error, outcome.nextAttemptAt, at],
        );
      }
    },
    async release(ds, at) {
      for (const d of ds) {
        await q(
          `UPDATE policybot_deliveries SET status = 'pending', owner = NULL, lease_until = NULL, at = $5 WHERE issue_key = $1 AND channel = $2 AND chat_id = $3 AND status = 'claimed' AND owner = $4`,
          [d.issueKey, d.channel, d.chatId, d.owner, at],
        );
      }
    },
    async progress(issueKey) {
      const r = await q(`SELECT channel, status, count(*)::int AS n FROM policybot_deliveries WHERE issue_key = $1 GROUP BY channel, status`, [issueKey]);
      const p: DeliveryProgress = { pending: 0, claimed: 0, sent: 0, failed: 0, openByChannel: {} };
      for (const row of r.rows) {
        const s = row.status as Delivery['status'];
        p[s] += row.n as number;
        if (s === 'pending' || s === 'claimed') p.openByChannel[row.channel as string] = (p.openByChannel[row.channel as string] ?? 0) + (row.n as number);
      }
      return p;
    },
    async announceIfDone(issueKey, at) {
      await q(
        `INSERT INTO policybot_announced (issue_key, at, sent, failed)
         SELECT $1, $2, count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed') FROM policybot_deliveries WHERE issue_key = $1
         HAVING count(*) FILTER (WHERE status IN ('pending', 'claimed')) = 0
         ON CONFLICT DO NOTHING`,
        [issueKey, at],
      );
      return ((await q('SELECT 1 FROM policybot_announced WHERE issue_key = $1', [issueKey])).rowCount ?? 0) > 0;
    },
    async close() {
      await pool.end();
    },
  };
  return store;
}
