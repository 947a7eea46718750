import { Writable } from 'node:stream';
import type { HttpServer } from '../../../adapters/http/server.ts';
import { startHttp } from '../../../src/cli/http.ts';
import { createApp, secretsOf, type App } from '../../../src/app.ts';
import type { Clock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config/config.ts';
import type { Reply } from '../../../src/conversation/types.ts';
import { createLogger } from '../../../src/logger.ts';
import type { ChannelSender } from '../../../src/push/sender.ts';
import { tempDataDir } from '../../helpers.ts';

/** The admin token of test servers. */
export const TOKEN = 'test-admin-token-0123456789abcdef';

/** A chat-app stand-in that records pushes (the thing under test is the console, not the channel). */
export class RecordingSender implements ChannelSender {
  readonly sent: Array<{ chatId: string; reply: Reply }> = [];
  async sendReply(chatId: string, reply: Reply): Promise<void> {
    this.sent.push({ chatId, reply });
  }
}

/** A fetch response whose JSON the tests read freely. */
// biome-ignore lint/suspicious/noExplicitAny: test responses are read as JSON of any shape, checked by zod schemas
export type JsonResponse = { json(): Promise<any> } & Response;

/** A real HTTP server on 127.0.0.1 over a fresh data directory, with its log lines captured (on `clock` when given). */
export async function startTestServer(
  env: Record<string, string> = {},
  clock?: Clock,
): Promise<{
  app: App;
  server: HttpServer;
  dir: string;
  logs: string[];
  telegram: RecordingSender;
  get(path: string, init?: RequestInit & { auth?: boolean }): Promise<JsonResponse>;
}> {
  const dir = await tempDataDir();
  const config = loadConfig({
    POLICYBOT_DATA_DIR: dir,
    POLICYBOT_ADMIN_TOKEN: TOKEN,
    POLICYBOT_HTTP_RATE_LIMIT_PER_MINUTE: '10000',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const app = await createApp(config, { clock, logger: createLogger('debug', secretsOf(config), sink) });
  const telegram = new RecordingSender();
  const server = await startHttp(app, 0, { telegram });
  return {
    app,
    server,
    dir,
    logs,
    telegram,
    get(path, init = {}) {
      const { auth, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth) headers.set('authorization', `Bearer ${TOKEN}`);
      return fetch(server.url + path, { ...rest, headers, redirect: 'manual' }) as Promise<JsonResponse>;
    },
  };
}

/** A multipart body with one file field (and any text fields), built by hand so the file name goes out exactly as given. */
export function multipart(name: string, bytes: Uint8Array, field = 'file', fields: Record<string, string> = {}): { body: Uint8Array; contentType: string } {
  const boundary = `----policybot${Math.random().toString(16).slice(2)}`;
  const text = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const head = Buffer.from(
    `${text.join('')}--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name.replace(/"/g, '%22')}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: new Uint8Array(Buffer.concat([head, bytes, tail])), contentType: `multipart/form-data; boundary=${boundary}` };
}
