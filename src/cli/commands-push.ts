import type { App } from '../app.ts';
import type { CliIO } from './io.ts';

/** `policybot push --once [--dry-run]` */
export async function pushCommand(app: App, args: string[], io: CliIO): Promise<number> {
  void app;
  void args;
  io.err('push is not available yet\n');
  return 2;
}

/** `policybot subscribers` */
export async function subscribersCommand(app: App, io: CliIO): Promise<number> {
  void app;
  io.err('not available yet\n');
  return 2;
}
