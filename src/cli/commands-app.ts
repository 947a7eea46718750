import { parseArgs } from 'node:util';
import { createConsoleAdapter, runConsoleChat } from '../../adapters/console/console.ts';
import { bulletinName, documentName } from '../answer/citation.ts';
import { createApp, type App } from '../app.ts';
import type { Config } from '../config/config.ts';
import type { CorpusFile } from '../corpus/types.ts';
import type { CliIO } from './io.ts';

/**
 * What the corpus holds, in one line: up to three bulletin issues by name, else their count, then
 * the documents stored on their own (one by name, several by count); 无 when empty.
 */
export function corpusSummary(files: readonly CorpusFile[]): string {
  const issues = files.filter((f) => f.issue).map((f) => bulletinName(f.issue));
  const loose = files.filter((f) => !f.issue).flatMap((f) => f.documents);
  const parts: string[] = [];
  if (issues.length > 0) parts.push(issues.length <= 3 ? issues.join('；') : `${issues.length} 期公报`);
  if (loose.length === 1) parts.push(documentName(loose[0]!));
  else if (loose.length > 1) parts.push(`${loose.length} 个单独收录的文件`);
  return parts.join('；') || '无';
}

async function chat(app: App): Promise<number> {
  const banner = `政策问答机器人（终端）· 已收录：${corpusSummary(app.corpus.current().corpus.files)}`;
  await runConsoleChat(
    createConsoleAdapter(app.conversation, (e) => app.logger.error({ err: e }, 'console message failed')),
    process.stdin,
    process.stdout,
    banner,
  );
  return 0;
}

/** Resolves on SIGINT or SIGTERM, after `stop`. */
function untilSignal(app: App, stop: () => Promise<void>): Promise<number> {
  return new Promise<number>((resolve) => {
    const shutdown = (): void => {
      app.logger.info('shutting down');
      void stop().then(() => resolve(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

/** `policybot serve [--port N]`: the staff console and HTTP API alone. */
async function serve(app: App, args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' } }, strict: true });
  const port = values.port === undefined ? (app.config.POLICYBOT_HTTP_PORT ?? 8080) : /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err('--port expects a whole number from 0 to 65535\n');
    return 2;
  }
  const { startHttp } = await import('./http.ts');
  const server = await startHttp(app, port);
  io.err(`PolicyBot console: ${server.url}\n`);
  return untilSignal(app, () => server.close());
}

/** Commands that run the app: chat, start, push, subscribers. */
export async function runAppCommand(command: string, args: string[], io: CliIO, config: Config): Promise<number> {
  const app = await createApp(config);
  try {
    return await run(app, command, args, io);
  } finally {
    await app.store.close();
  }
}

async function run(app: App, command: string, args: string[], io: CliIO): Promise<number> {
  switch (command) {
    case 'chat':
      return chat(app);
    case 'start': {
      const { startServices } = await import('./services.ts');
      const services = await startServices(app);
      if (services.started.length === 0) {
        app.logger.info('no TELEGRAM_BOT_TOKEN or WECHATY_PUPPET configured: starting the terminal chat');
        return chat(app);
      }
      app.logger.info({ started: services.started }, `started: ${services.started.join(', ')}`);
      io.err(`PolicyBot started: ${services.started.join(', ')}\n`);
      return untilSignal(app, () => services.stop());
    }
    case 'serve':
      return serve(app, args, io);
    case 'push':
    case 'subscribers': {
      const { pushCommand, subscribersCommand } = await import('./commands-push.ts');
      return command === 'push' ? pushCommand(app, args, io) : subscribersCommand(app, io);
    }
    default:
      io.err(`unknown command ${command}\n`);
      return 2;
  }
}
