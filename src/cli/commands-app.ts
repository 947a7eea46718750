import { createConsoleAdapter, runConsoleChat } from '../../adapters/console/console.ts';
import { bulletinName } from '../answer/citation.ts';
import { createApp, type App } from '../app.ts';
import type { Config } from '../config/config.ts';
import type { CliIO } from './io.ts';

async function chat(app: App): Promise<number> {
  const files = app.corpus.current().corpus.files;
  const names = files.map((f) => (f.issue ? bulletinName(f.issue) : f.documents.map((d) => d.docNumber).join('、')));
  await runConsoleChat(createConsoleAdapter(app.conversation, (e) => app.logger.error({ err: e }, 'console message failed')), process.stdin, process.stdout, `政策问答机器人（终端）· 已收录：${names.join('；') || '无'}`);
  return 0;
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
      const { startServices } = await import('../../adapters/services.ts');
      const services = await startServices(app);
      if (services.started.length === 0) {
        app.logger.info('no TELEGRAM_BOT_TOKEN or WECHATY_PUPPET configured: starting the terminal chat');
        return chat(app);
      }
      app.logger.info({ started: services.started }, `started: ${services.started.join(', ')}`);
      io.err(`PolicyBot started: ${services.started.join(', ')}\n`);
      return await new Promise<number>((resolve) => {
        const shutdown = (): void => {
          app.logger.info('shutting down');
          void services.stop().then(() => resolve(0));
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
    }
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
