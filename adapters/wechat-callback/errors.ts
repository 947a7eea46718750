/** Why a callback request is refused: the HTTP status to answer and a message safe to log. */
export class CallbackRejected extends Error {
  constructor(
    readonly status: 400 | 403 | 405 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackRejected';
  }
}
