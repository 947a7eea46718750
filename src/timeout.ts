import { PolicyBotError } from './errors.ts';

/** A request to a chat platform (Bot API, wechaty puppet, WeChat API) that got no answer in time. */
export class RequestTimeout extends PolicyBotError {
  constructor(what: string, ms: number) {
    super('CHANNEL_TIMEOUT', `${what} timed out after ${ms} ms`, { what, ms });
    this.name = 'RequestTimeout';
  }
}

/**
 * Runs `run` with a deadline of `ms`: then the signal handed to `run` aborts and the returned
 * promise rejects with RequestTimeout(`what`) — also when `run` ignores the signal (a wechaty
 * call cannot be aborted: it is abandoned, and whatever it does later is ignored). An abort of
 * `outer` (a caller stopping) aborts `run` too and passes on what `run` then throws.
 *
 * The deadline is a real timer, not the injected clock: a manual clock's sleeps end at once,
 * which would time every request out before its answer could arrive.
 */
export function withTimeout<T>(what: string, ms: number, run: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  const ctrl = new AbortController();
  const stop = (): void => ctrl.abort(outer?.reason);
  if (outer?.aborted) stop();
  else outer?.addEventListener('abort', stop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new RequestTimeout(what, ms);
      reject(e);
      ctrl.abort(e);
    }, ms);
  });
  const work = (async () => run(ctrl.signal))();
  // once the deadline has passed, a late failure of the abandoned call is nobody's concern
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', stop);
  });
}
