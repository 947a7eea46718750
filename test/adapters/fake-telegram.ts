import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Bot API call as the fake server saw it. */
export interface ApiCall {
  method: string;
  token: string;
  body: Record<string, unknown>;
  /** HTTP status the fake answered with (set once answered). */
  status?: number;
}

/** A canned Bot API failure to return for the next call(s) of a method. */
export interface Failure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/**
 * A fake Telegram Bot API server on 127.0.0.1: records every call, serves queued updates to
 * getUpdates (long poll), returns message objects for sendMessage, and can fail on demand.
 */
export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  private server: Server | undefined;
  private updates: unknown[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private failures = new Map<string, Failure[]>();
  private waiters: Array<() => void> = [];
  readonly bot = { id: 777, is_bot: true, first_name: 'PolicyBot', username: 'PolicyTestBot' };
  /** Called on every request, e.g. to drop the connection. */
  onRequest?: (method: string) => 'drop' | 'hang' | undefined;
  /** Delay before answering sendMessage (ms), like a slow network. */
  latencyMs = 0;

  /** Chat ids that sendMessage delivered to (answered 200), in order. */
  delivered(): string[] {
    return this.of('sendMessage')
      .filter((c) => c.status === 200)
      .map((c) => String(c.body.chat_id));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  }

  /** Queues an update for getUpdates and returns its id. */
  push(update: Record<string, unknown>): number {
    const id = this.nextUpdateId++;
    this.updates.push({ update_id: id, ...update });
    for (const w of this.waiters.splice(0)) w();
    return id;
  }

  /** Makes the next `n` calls of `method` fail with `f`. */
  failNext(method: string, f: Failure, n = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: n }, () => f)]);
  }

  /** Calls of one method. */
  of(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves when `pred` holds over the calls (polls every 10 ms, up to `ms`). */
  async waitFor(pred: (calls: ApiCall[]) => boolean, ms = 8000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred(this.calls)) {
      if (Date.now() > end) throw new Error(`timed out; calls: ${this.calls.map((c) => c.method).join(',')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, token, method] = m as unknown as [string, string, string];
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = Object.fromEntries(new URLSearchParams(raw));
      }
    }
    const call: ApiCall = { method, token, body };
    if (method !== 'getUpdates') this.calls.push(call);
    const hook = this.onRequest?.(method);
    if (hook === 'drop') {
      req.socket.destroy();
      return;
    }
    if (hook === 'hang') return; // accept the request, never answer
    if (method === 'sendMessage' && this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const reply = (status: number, json: unknown): void => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const f = this.failures.get(method)?.shift();
    if (f) {
      reply(f.error_code, { ok: false, ...f });
      return;
    }
    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: this.bot });
      case 'getUpdates': {
        const offset = Number(body.offset ?? 0);
        this.updates = this.updates.filter((u) => (u as { update_id: number }).update_id >= offset);
        if (this.updates.length === 0) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, 200);
            this.waiters.push(() => {
              clearTimeout(t);
              r();
            });
          });
        }
        return reply(200, { ok: true, result: this.updates.filter((u) => (u as { update_id: number }).update_id >= offset) });
      }
      case 'sendMessage':
        return reply(200, {
          ok: true,
          result: { message_id: this.nextMessageId++, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text },
        });
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return reply(200, { ok: true, result: true });
      default:
        return reply(200, { ok: true, result: true });
    }
  }
}

/** A private text message update. */
export function textUpdate(
  text: string,
  o: { chatId?: number; userId?: number; type?: 'private' | 'group' | 'supergroup'; entities?: unknown[]; replyToBot?: boolean; botId?: number } = {},
): Record<string, unknown> {
  const chatId = o.chatId ?? 1001;
  const message: Record<string, unknown> = {
    message_id: Math.floor(Math.random() * 1e6),
    date: 1_700_000_000,
    chat: o.type && o.type !== 'private' ? { id: chatId, type: o.type, title: 'G' } : { id: chatId, type: 'private', first_name: 'U' },
    from: { id: o.userId ?? 501, is_bot: false, first_name: 'U' },
    text,
  };
  if (o.entities) message.entities = o.entities;
  if (o.replyToBot)
    message.reply_to_message = { message_id: 1, date: 0, chat: message.chat, from: { id: o.botId ?? 777, is_bot: true, first_name: 'PolicyBot' }, text: 'x' };
  return { message };
}
