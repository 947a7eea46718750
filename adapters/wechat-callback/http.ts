import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/logger.ts';
import { CallbackRejected } from './errors.ts';

/** A callback request as the channel handlers see it. */
export interface CallbackRequest {
  method: string;
  query: URLSearchParams;
  body: string;
}

/** What a channel handler answers. */
export interface CallbackResponse {
  status: number;
  body: string;
  type?: string;
}

/** A channel's callback endpoint. Throws CallbackRejected to refuse a request. */
export type CallbackHandler = (req: CallbackRequest) => Promise<CallbackResponse>;

/** WeChat's messages are small; anything bigger than this is refused with 413. */
export const MAX_CALLBACK_BODY = 64 * 1024;

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new CallbackRejected(413, 'body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new CallbackRejected(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  const buf = Buffer.concat(chunks);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return text.decode(buf);
  } catch {
    throw new CallbackRejected(400, 'body is not UTF-8');
  }
}

/**
 * Starts one HTTP server for the WeChat callbacks (Official Account, WeCom), one path each.
 * It answers 404 for other paths, 405 for methods other than GET/POST, the handler's status
 * otherwise. Logs path, status and the reason of a refusal — never query strings or bodies.
 */
export async function startCallbackServer(opts: {
  host: string;
  port: number;
  routes: Record<string, CallbackHandler>;
  logger: Logger;
  maxBody?: number;
}): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const limit = opts.maxBody ?? MAX_CALLBACK_BODY;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://callback.invalid');
    const route = opts.routes[url.pathname];
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (!route) return send(404, 'not found');
    if (req.method !== 'GET' && req.method !== 'POST') return send(405, 'method not allowed');
    try {
      const body = req.method === 'POST' ? await readBody(req, limit) : '';
      const r = await route({ method: req.method, query: url.searchParams, body });
      send(r.status, r.body, r.type);
    } catch (e) {
      if (e instanceof CallbackRejected) {
        opts.logger.warn({ path: url.pathname, status: e.status }, `wechat callback refused: ${e.message}`);
        if (e.status === 413) res.setHeader('connection', 'close');
        return send(e.status, e.status === 403 ? 'forbidden' : 'bad request');
      }
      opts.logger.error({ path: url.pathname }, `wechat callback failed: ${e instanceof Error ? e.message : String(e)}`);
      send(500, 'internal error');
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`,
    server,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
