import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call as the fake WeChat API saw it. */
export interface WechatApiCall {
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

/**
 * A fake WeChat API (Official Account and WeCom) on 127.0.0.1: issues access tokens for the
 * right secret, accepts customer-service (custom/send) and WeCom message/send calls with a valid
 * token, records every call, and answers queued errors ({ errcode, errmsg }) on demand.
 */
export class FakeWechatApi {
  readonly calls: WechatApiCall[] = [];
  private server: Server | undefined;
  private valid = new Set<string>();
  private seq = 0;
  private failures = new Map<string, Array<{ errcode: number; errmsg: string }>>();

  constructor(private readonly secrets: { appId?: string; appSecret?: string; corpId?: string; corpSecret?: string }) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : undefined;
        const query = Object.fromEntries(url.searchParams);
        this.calls.push({ path: url.pathname, query, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.answer(url.pathname, query)));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** The next call(s) to `path` answer these errors, in order. */
  fail(path: string, ...errors: Array<{ errcode: number; errmsg?: string }>): void {
    const q = this.failures.get(path) ?? [];
    q.push(...errors.map((e) => ({ errcode: e.errcode, errmsg: e.errmsg ?? `error ${e.errcode}` })));
    this.failures.set(path, q);
  }

  /** Expires every issued token: the next call with one answers 40001. */
  expireTokens(): void {
    this.valid.clear();
  }

  /** Calls to a path. */
  to(path: string): WechatApiCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  /** Every access token issued so far. */
  readonly issued: string[] = [];

  private answer(path: string, q: Record<string, string>): Record<string, unknown> {
    const failure = this.failures.get(path)?.shift();
    if (failure) return failure;
    if (path === '/cgi-bin/token') {
      if (q['grant_type'] !== 'client_credential' || q['appid'] !== this.secrets.appId || q['secret'] !== this.secrets.appSecret)
        return { errcode: 40125, errmsg: 'invalid appsecret' };
      return this.issue();
    }
    if (path === '/cgi-bin/gettoken') {
      if (q['corpid'] !== this.secrets.corpId || q['corpsecret'] !== this.secrets.corpSecret) return { errcode: 40001, errmsg: 'invalid credential' };
      return this.issue();
    }
    if (!this.valid.has(q['access_token'] ?? '')) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (path === '/cgi-bin/message/custom/send' || path === '/cgi-bin/message/send') return { errcode: 0, errmsg: 'ok' };
    return { errcode: 40066, errmsg: 'invalid url' };
  }

  private issue(): Record<string, unknown> {
    const token = `ACCESS_TOKEN_${++this.seq}_${'x'.repeat(20)}`;
    this.valid.add(token);
    this.issued.push(token);
    return { access_token: token, expires_in: 7200 };
  }
}
