import type { App } from '../app.ts';
import { standaloneSenders } from './commands-push.ts';
import type { ChannelSender } from '../push/sender.ts';
import type { Channel } from '../store/schema.ts';
import { consoleActions } from '../../adapters/http/actions.ts';
import { createHttpApp, listen, type HttpServer } from '../../adapters/http/server.ts';

/**
 * Starts the console and API on POLICYBOT_HTTP_HOST:`port`. Pushes go through `senders` when the
 * chat adapters run in this process (`npm start`), else through the ones a standalone push can use.
 */
export async function startHttp(app: App, port: number, senders?: Partial<Record<Channel, ChannelSender>>): Promise<HttpServer> {
  const actions = consoleActions(app, async () => senders ?? (await standaloneSenders(app)));
  const server = await listen(createHttpApp(app, actions), app.config.POLICYBOT_HTTP_HOST, port);
  if (!app.config.POLICYBOT_ADMIN_TOKEN) app.logger.warn('POLICYBOT_ADMIN_TOKEN is not set: the console serves search only');
  app.logger.info(`staff console and API on ${server.url}`);
  return server;
}
