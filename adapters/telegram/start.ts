import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { TelegramError } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { systemClock, type Clock } from '../../src/clock.ts';
import { PolicyBotError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { redactSecrets } from '../../src/logger.ts';
import type { TelegramAdapter } from './bot.ts';
import { failure } from './sender.ts';
import { readUpdate } from './update.ts';

/** How the bot receives updates. */
export type TelegramMode = { kind: 'polling' } | { kind: 'webhook'; url: string; port: number; secret: string; host?: string };

/** Largest webhook body accepted (Telegram's updates are far smaller). */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * How start-up reaches the Bot API (attempts with exponential backoff; each request has the
 * adapter's timeout) and how long one getUpdates long poll waits on Telegram's side.
 */
export interface ConnectOptions {
  clock?: Clock;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Seconds a getUpdates long poll waits for updates (default 50); its deadline adds the request timeout. */
  pollSeconds?: number;
}

/** Telegram's long-poll wait used by polling, as telegraf's own polling does. */
export const LONG_POLL_SECONDS = 50;

const ALLOWED = ['message', 'callback_query', 'inline_query'];

/**
 * Checks the token with getMe: retries an unreachable API (network error, timeout, 5xx) with
 * backoff, logging each reason; a refused token (401, or 404 for a malformed one) fails at
 * once. Throws PolicyBotError CHANNEL_UNAUTHORIZED or CHANNEL_UNAVAILABLE with a one-line
 * message that never contains the token.
 */
export async function connectTelegram(adapter: TelegramAdapter, logger: Logger, token: string, o: ConnectOptions = {}): Promise<UserFromGetMe> {
  const clock = o.clock ?? systemClock;
  const attempts = o.attempts ?? 8;
  let delay = o.baseDelayMs ?? 1000;
  const root = (adapter.bot.telegram.options as { apiRoot?: string }).apiRoot ?? 'https://api.telegram.org';
  for (let n = 1; ; n++) {
    try {
      return await adapter.bot.telegram.getMe();
    } catch (e) {
      if (e instanceof TelegramError && (e.code === 401 || e.code === 404)) {
        throw new PolicyBotError(
          'CHANNEL_UNAUTHORIZED',
          `the Telegram Bot API refused TELEGRAM_BOT_TOKEN (${e.code} ${e.description}): set the token @BotFather gave you`,
        );
      }
      const reason = redactSecrets(e instanceof TelegramError ? `${e.code} ${e.description}` : e instanceof Error ? e.message : String(e), [token]);
      if (n >= attempts) {
        throw new PolicyBotError(
          'CHANNEL_UNAVAILABLE',
          `cannot reach the Telegram Bot API at ${root} after ${n} attempts (${reason}): check the network, or TELEGRAM_API_ROOT`,
        );
      }
      logger.warn({ attempt: n, of: attempts, retryInMs: delay }, `Telegram Bot API unreachable (${reason}); retrying in ${delay} ms`);
      await clock.sleep(delay);
      delay = Math.min(delay * 2, o.maxDelayMs ?? 30_000);
    }
  }
}

/** Compares two secrets in constant time (hashing first evens out the lengths). */
export function secretMatches(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256')
    .update(given ?? '')
    .digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined;
}

/**
 * The webhook endpoint: POST on the webhook path only, the secret header compared in constant
 * time (403 otherwise), a body of at most 1 MB (413), JSON that is an update whose fields the
 * bot reads have the shape it reads (readUpdate; 400 naming the field otherwise, nothing handled).
 * A valid update is handled and answered 200, also when its handling failed (logged), so
 * Telegram does not redeliver it forever.
 */
export function webhookHandler(
  adapter: TelegramAdapter,
  path: string,
  secret: string,
  logger: Logger,
  secrets: readonly string[],
): (req: IncomingMessage, res: ServerResponse) => void {
  const answer = (res: ServerResponse, status: number, text = ''): void => {
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: status >= 400 ? 'close' : 'keep-alive' });
    res.end(text);
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return answer(res, 404, 'not found');
    if (req.method !== 'POST') return answer(res, 405, 'POST only');
    const given = req.headers['x-telegram-bot-api-secret-token'];
    if (!secretMatches(typeof given === 'string' ? given : undefined, secret)) {
      req.resume();
      return answer(res, 403, 'forbidden');
    }
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_MAX_BYTES) {
      req.resume();
      return answer(res, 413, 'body too large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > WEBHOOK_MAX_BYTES) {
        refused = true;
        answer(res, 413, 'body too large');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (refused) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(res, 400, 'not JSON');
      }
      const read = readUpdate(body);
      if ('error' in read) return answer(res, 400, read.error);
      const { update } = read;
      adapter.handleUpdate(update).then(
        () => answer(res, 200),
        (e: unknown) => {
          logUpdateFailure(logger, update, e, secrets);
          answer(res, 200);
        },
      );
    });
  };
}

/**
 * Long polling of our own (not telegraf's, which would stop for good on a request timeout):
 * getUpdates with a deadline of the long-poll wait plus the request timeout; a network error,
 * timeout, 5xx or 429 is logged and retried with backoff (429: retry_after); an update the bot
 * cannot read is logged and skipped; 401 and 409 (another poller or a webhook) stop it. After
 * `signal` aborts, the last offset is confirmed so handled updates are not delivered again.
 */
async function pollUpdates(
  adapter: TelegramAdapter,
  logger: Logger,
  secrets: readonly string[],
  clock: Clock,
  pollSeconds: number,
  signal: AbortSignal,
): Promise<void> {
  const telegram = adapter.bot.telegram;
  let offset = 0;
  let delay = 1000;
  let hookDeleted = false;
  while (!signal.aborted) {
    try {
      if (!hookDeleted) hookDeleted = await telegram.callApi('deleteWebhook', {}, { signal: signal as never });
      const updates = (await telegram.callApi(
        'getUpdates',
        { timeout: pollSeconds, offset, allowed_updates: ALLOWED as never },
        { signal: signal as never },
      )) as unknown[];
      delay = 1000;
      const last = updates[updates.length - 1] as { update_id?: unknown } | undefined;
      if (typeof last?.update_id === 'number') offset = last.update_id + 1;
      await Promise.all(
        updates.map(async (u) => {
          const read = readUpdate(u);
          if ('error' in read) return logger.warn({ update: (u as { update_id?: unknown } | null)?.update_id }, `telegram update skipped: ${read.error}`);
          await adapter.handleUpdate(read.update).catch((e: unknown) => logUpdateFailure(logger, read.update, e, secrets));
        }),
      );
    } catch (e) {
      if (signal.aborted) break;
      if (e instanceof TelegramError && (e.code === 401 || e.code === 409)) throw e;
      const retryAfter = e instanceof TelegramError ? e.parameters?.retry_after : undefined;
      const wait = retryAfter !== undefined ? retryAfter * 1000 : delay;
      const f = failure(e, secrets);
      logger.warn({ code: f.code, retryInMs: wait }, `telegram polling failed (${f.message}); retrying in ${wait} ms`);
      await clock.sleep(wait);
      delay = Math.min(delay * 2, 30_000);
    }
  }
  await telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch(() => undefined);
}

function logUpdateFailure(logger: Logger, update: Update, e: unknown, secrets: readonly string[]): void {
  const f = failure(e, secrets);
  logger.error({ update: update.update_id, code: f.code }, `telegram update failed: ${f.message}`);
}

/**
 * Checks the token (connectTelegram), registers the commands and starts receiving updates:
 * long polling (pollUpdates), or a webhook server of our own (webhookHandler) registered with
 * setWebhook. Every Bot API call on the way has the adapter's timeout. Resolves to a function
 * that stops receiving.
 */
export async function startTelegram(
  adapter: TelegramAdapter,
  mode: TelegramMode,
  logger: Logger,
  token: string,
  connect: ConnectOptions = {},
): Promise<() => Promise<void>> {
  const secrets = [token];
  const me = await connectTelegram(adapter, logger, token, connect);
  adapter.bot.botInfo = me;
  await adapter.setCommands().catch((e: unknown) => {
    const f = failure(e, secrets);
    logger.warn({ code: f.code }, `telegram: could not register the command menu: ${f.message}`);
  });
  if (mode.kind === 'polling') {
    const ctrl = new AbortController();
    const polling = pollUpdates(adapter, logger, secrets, connect.clock ?? systemClock, connect.pollSeconds ?? LONG_POLL_SECONDS, ctrl.signal).catch(
      (e: unknown) => {
        const f = failure(e, secrets);
        logger.error({ code: f.code }, `telegram stopped: ${f.message}`);
      },
    );
    return async () => {
      ctrl.abort();
      await polling;
    };
  }
  const u = new URL(mode.url);
  const path = u.pathname === '/' ? '/telegram' : u.pathname;
  const server = createServer(webhookHandler(adapter, path, mode.secret, logger, [...secrets, mode.secret]));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new PolicyBotError('CONFIG_INVALID', `cannot listen for the webhook on port ${mode.port}: ${e.message} (TELEGRAM_WEBHOOK_PORT)`)),
    );
    server.listen(mode.port, mode.host ?? '0.0.0.0', () => resolve());
  });
  try {
    await adapter.bot.telegram.callApi('setWebhook', { url: `${u.origin}${path}`, secret_token: mode.secret, allowed_updates: ALLOWED as never });
  } catch (e) {
    server.close();
    throw new PolicyBotError('CHANNEL_UNAVAILABLE', `setWebhook failed: ${failure(e, secrets).message}`);
  }
  return async () => {
    server.closeAllConnections();
    server.close();
  };
}
