import { PolicyBotError } from '../../src/errors.ts';

/** Why a callback request is refused: the HTTP status to answer and a message safe to log. */
export class CallbackRejected extends PolicyBotError {
  constructor(
    readonly status: 400 | 403 | 405 | 413 | 415,
    message: string,
  ) {
    super('CALLBACK_REJECTED', message, { status });
    this.name = 'CallbackRejected';
  }
}
