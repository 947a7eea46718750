/** Stable error codes: callers and tests match on these, never on message text. */
export type ErrorCode =
  | 'INPUT_EMPTY'
  | 'INPUT_BINARY'
  | 'INPUT_ENCODING'
  | 'INPUT_UNREADABLE'
  | 'INPUT_SCANNED'
  | 'INPUT_GARBLED'
  | 'INPUT_ENCRYPTED'
  | 'INPUT_CORRUPT'
  | 'INPUT_TOO_LARGE'
  | 'INGEST_CLASH'
  | 'NO_DOCUMENT'
  | 'DOCNUMBER_MISSING'
  | 'DOC_NOT_FOUND'
  | 'CLAUSE_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'STORE_CORRUPT'
  | 'STORE_VERSION'
  | 'STORE_LOCKED'
  | 'STORE_UNAVAILABLE'
  | 'PUSH_INCOMPLETE'
  | 'CHANNEL_UNAUTHORIZED'
  | 'CHANNEL_UNAVAILABLE'
  | 'CHANNEL_TIMEOUT'
  | 'USAGE'
  | 'INPUT_INVALID'
  | 'DICTIONARY_INVALID'
  | 'INTERNAL'
  | 'SEND_FAILED'
  | 'SEND_DEFERRED'
  | 'FEED_FAILED'
  | 'CHANNEL_API_ERROR'
  | 'CALLBACK_REJECTED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'BUSY';

/**
 * The one error type the project throws; `code` is stable, `message` is for people, and the error that
 * led to it travels as the standard `cause` (pass `{ cause }` as the last argument).
 */
export class PolicyBotError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PolicyBotError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a PolicyBotError, optionally with the given code. */
export function isPolicyBotError(e: unknown, code?: ErrorCode): e is PolicyBotError {
  return e instanceof PolicyBotError && (code === undefined || e.code === code);
}
