import QRCode from 'qrcode';
import type { Wechaty } from 'wechaty';
import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import { redactSecrets } from '../../src/logger.ts';
import { withTimeout } from '../../src/timeout.ts';

/** Limit on starting or stopping the puppet (it connects to its service, fetches a login code…). */
export const WECHATY_START_TIMEOUT_MS = 60_000;

/** Starts the puppet, or fails with RequestTimeout (CHANNEL_TIMEOUT) when it does not start in time. */
export const startWechaty = (wechaty: Wechaty): Promise<void> => withTimeout('WeChat start', WECHATY_START_TIMEOUT_MS, () => wechaty.start());
/** Stops the puppet, or gives up waiting for it after the limit. */
export const stopWechaty = (wechaty: Wechaty): Promise<void> => withTimeout('WeChat stop', WECHATY_START_TIMEOUT_MS, () => wechaty.stop());

/**
 * Keeps a wechaty bot running: logs login, logout and errors; prints the login QR code in the
 * terminal and logs its URL; restarts with exponential backoff after a logout or puppet error.
 */
export function superviseWechaty(
  wechaty: Wechaty,
  clock: Clock,
  logger: Logger,
  secrets: readonly string[] = [],
  out: NodeJS.WritableStream = process.stderr,
): { restarts(): number } {
  let backoff = 1000;
  let restarts = 0;
  let restarting = false;
  const restart = async (why: string): Promise<void> => {
    if (restarting) return;
    restarting = true;
    logger.warn(`wechat: ${why}; restarting in ${backoff} ms`);
    try {
      await stopWechaty(wechaty).catch(() => undefined);
      await clock.sleep(backoff);
      backoff = Math.min(backoff * 2, 5 * 60_000);
      restarts++;
      await startWechaty(wechaty);
    } catch (e) {
      logger.error(`wechat restart failed: ${redactSecrets((e as Error).message, secrets)}`);
    } finally {
      restarting = false;
    }
  };
  wechaty.on('scan', (qrcode: string, status: number) => {
    const url = `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`;
    logger.info({ status }, `wechat: scan the QR code to log in: ${url}`);
    QRCode.toString(qrcode, { type: 'terminal', small: true })
      .then((s) => out.write(`${s}\n`))
      .catch(() => undefined);
  });
  wechaty.on('login', (user) => {
    backoff = 1000;
    logger.info(`wechat: logged in as ${user.name()}`);
  });
  wechaty.on('logout', (user) => void restart(`logged out (${user.name()})`));
  wechaty.on('error', (e: Error) => void restart(`puppet error: ${redactSecrets(e.message, secrets)}`));
  return { restarts: () => restarts };
}
