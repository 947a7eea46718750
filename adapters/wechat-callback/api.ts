import type { Clock } from '../../src/clock.ts';
import { PolicyBotError } from '../../src/errors.ts';
import { redactSecrets } from '../../src/logger.ts';
import type { AttemptFailure, ChannelSender } from '../../src/push/sender.ts';
import { RequestTimeout } from '../../src/timeout.ts';

/** fetch, injected (tests point it at a fake WeChat API on 127.0.0.1). */
export type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

/** An error answer of the WeChat API ({ errcode, errmsg }). */
export class WechatApiError extends PolicyBotError {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super('CHANNEL_API_ERROR', `WeChat API error ${errcode}: ${errmsg}`, { errcode });
    this.name = 'WechatApiError';
  }
}

/**
 * WeChat refused our credentials or our server: the token endpoint answered an error (wrong
 * AppSecret/CorpSecret or AppID/CorpID, server IP not in the whitelist), or a call is not
 * allowed for this account at all. Nothing can be sent until the operator fixes it.
 */
export class WechatCredentialsError extends PolicyBotError {
  constructor(
    readonly errcode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('CHANNEL_UNAUTHORIZED', message, { errcode }, options);
    this.name = 'WechatCredentialsError';
  }
}

/**
 * Answers to a send that concern the account, not the user: 48001 API not authorised (e.g. an
 * unverified 订阅号 has no customer-service messages), 48002/48004 API forbidden or banned,
 * 40164/60020 server IP not whitelisted.
 */
const ACCOUNT_REFUSED = new Set([48001, 48002, 48004, 40164, 60020]);

/** access_token expired or invalid: fetch a new one and retry once. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

/** How a failed WeChat API call should be retried (for withRetries). */
export function classifyWechatError(e: unknown): AttemptFailure {
  if (e instanceof WechatCredentialsError) return { temporary: false, reason: 'unauthorized', message: e.message };
  if (e instanceof WechatApiError) {
    if (ACCOUNT_REFUSED.has(e.errcode)) return { temporary: false, reason: 'unauthorized', message: e.message };
    if (e.errcode === -1 || e.errcode === 45009 || e.errcode === 45011) return { temporary: true, message: e.message };
    if (e.errcode === 43004 || e.errcode === 43101) return { temporary: false, reason: 'blocked', message: e.message };
    if (e.errcode === 40003 || e.errcode === 60111 || e.errcode === 81013) return { temporary: false, reason: 'chat-not-found', message: e.message };
    return { temporary: false, reason: 'bad-request', message: e.message };
  }
  return { temporary: true, message: e instanceof Error ? e.message : String(e) };
}

/** Where and how to reach one WeChat API (Official Account or WeCom). */
export interface WechatApiOptions {
  /** https://api.weixin.qq.com or https://qyapi.weixin.qq.com (a fake one in tests). */
  root: string;
  /** Path and query that return a fresh access_token (it carries the secret: never logged). */
  tokenPath: string;
  /** Values to keep out of every error message (AppSecret, CorpSecret). */
  secrets: readonly string[];
  /** What to check when WeChat refuses the credentials, e.g. "check WECHAT_MP_APPID and WECHAT_MP_SECRET". */
  credentialsHint?: string;
  clock: Clock;
  fetch?: FetchFn;
  /** Limit on each request, body included (POLICYBOT_WECHAT_TIMEOUT_MS; default 10 s). */
  timeoutMs?: number;
}

/**
 * A small WeChat API client: fetches the access_token, caches it until five minutes before it
 * expires (concurrent callers share one fetch), and on an expired-token answer (40001, 40014,
 * 42001) fetches a new one and retries the call once. Neither the token nor the secret ever
 * appears in an error message.
 */
export class WechatApiClient {
  private cached: { token: string; until: number } | undefined;
  private inflight: Promise<string> | undefined;
  private readonly fetchFn: FetchFn;
  private readonly seen = new Set<string>();

  constructor(private readonly o: WechatApiOptions) {
    this.fetchFn = o.fetch ?? ((u, i) => fetch(u, i));
  }

  /** How many access_tokens were fetched so far (for tests and stats). */
  tokensFetched = 0;

  private async json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
    const redact = (s: string): string => redactSecrets(s, [...this.o.secrets, ...this.seen]);
    const ms = this.o.timeoutMs ?? 10_000;
    const signal = AbortSignal.timeout(ms);
    // the path names the call; the query would carry the access_token or the secret
    const timedOut = (): RequestTimeout => new RequestTimeout(`WeChat API ${new URL(url).pathname}`, ms);
    let res: Response;
    try {
      res = await this.fetchFn(url, { ...init, signal });
    } catch (e) {
      if (signal.aborted) throw timedOut();
      // no { cause }: the network error's message may carry the request URL with the access_token
      throw new PolicyBotError('CHANNEL_UNAVAILABLE', redact(`WeChat API unreachable: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (!res.ok) throw new PolicyBotError('CHANNEL_UNAVAILABLE', `WeChat API answered HTTP ${res.status}`, { status: res.status });
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      if (signal.aborted) throw timedOut();
      throw new PolicyBotError('CHANNEL_API_ERROR', 'WeChat API answered something that is not JSON');
    }
    if (!body || typeof body !== 'object') throw new PolicyBotError('CHANNEL_API_ERROR', 'WeChat API answered something that is not an object');
    const b = body as Record<string, unknown>;
    if (typeof b['errcode'] === 'number' && b['errcode'] !== 0) throw new WechatApiError(b['errcode'], redact(String(b['errmsg'] ?? '')));
    return b;
  }

  /** The current access_token, fetched when missing or about to expire. */
  async accessToken(): Promise<string> {
    const now = this.o.clock.now();
    if (this.cached && now < this.cached.until) return this.cached.token;
    this.inflight ??= (async () => {
      try {
        let b: Record<string, unknown>;
        try {
          b = await this.json(`${this.o.root}${this.o.tokenPath}`);
        } catch (e) {
          // -1: WeChat busy, retry; any other error of the token endpoint is about our credentials
          if (e instanceof WechatApiError && e.errcode !== -1) {
            throw new WechatCredentialsError(
              e.errcode,
              `WeChat refused the access_token request (${e.message})${this.o.credentialsHint ? `: ${this.o.credentialsHint}` : ''}`,
              { cause: e },
            );
          }
          throw e;
        }
        const token = b['access_token'];
        if (typeof token !== 'string' || !token) throw new PolicyBotError('CHANNEL_API_ERROR', 'WeChat API gave no access_token');
        const ttl = typeof b['expires_in'] === 'number' ? b['expires_in'] : 7200;
        this.seen.add(token);
        this.tokensFetched++;
        this.cached = { token, until: this.o.clock.now() + Math.max(60, ttl - 300) * 1000 };
        return token;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** POSTs JSON to `path` with the access_token; refreshes an expired token and retries once. */
  async post(path: string, payload: unknown): Promise<Record<string, unknown>> {
    const call = async (): Promise<Record<string, unknown>> => {
      const token = await this.accessToken();
      try {
        return await this.json(`${this.o.root}${path}?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(payload),
        });
      } catch (e) {
        if (e instanceof WechatApiError && TOKEN_ERRORS.has(e.errcode) && this.cached?.token === token) this.cached = undefined;
        throw e;
      }
    };
    try {
      return await call();
    } catch (e) {
      if (e instanceof WechatApiError && TOKEN_ERRORS.has(e.errcode)) return call();
      if (e instanceof WechatApiError && ACCOUNT_REFUSED.has(e.errcode) && this.o.credentialsHint) {
        throw new WechatCredentialsError(e.errcode, `WeChat refused the call (${e.message}): ${this.o.credentialsHint}`, { cause: e });
      }
      throw e;
    }
  }
}

/** A callback channel's sender: pushes (reply models) and single texts (answers that missed the passive-reply deadline). */
export interface CallbackSender extends ChannelSender {
  sendText(user: string, text: string): Promise<void>;
}
