import type { App } from '../../src/app.ts';
import type { ChannelSender } from '../../src/push/sender.ts';

/** Starts the WeChat adapter (filled in by the WeChat issue). */
export async function startWechat(app: App): Promise<{ sender: ChannelSender; stop: () => Promise<void> }> {
  void app;
  throw new Error('WeChat adapter not started');
}
