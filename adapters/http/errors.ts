import type { ErrorCode } from '../../src/errors.ts';

/** The HTTP status of each error code the API answers with; any other code is a 500. */
export const HTTP_STATUS = {
  INPUT_EMPTY: 400,
  INPUT_BINARY: 400,
  INPUT_ENCODING: 400,
  INPUT_UNREADABLE: 400,
  INPUT_SCANNED: 400,
  INPUT_GARBLED: 400,
  INPUT_ENCRYPTED: 400,
  INPUT_CORRUPT: 400,
  INPUT_INVALID: 400,
  NO_DOCUMENT: 400,
  DOCNUMBER_MISSING: 400,
  USAGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  DOC_NOT_FOUND: 404,
  CLAUSE_NOT_FOUND: 404,
  NOT_FOUND: 404,
  BUSY: 409,
  INGEST_CLASH: 409,
  TOO_LARGE: 413,
  INPUT_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  STORE_LOCKED: 503,
  STORE_UNAVAILABLE: 503,
} as const satisfies Partial<Record<ErrorCode, number>>;

/** The status for a code: its entry in HTTP_STATUS, else 500. */
export function statusOf(code: ErrorCode): 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503 {
  return (HTTP_STATUS as Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503>>)[code] ?? 500;
}

/** The JSON body of every API error: `{ error: { code, message } }`. */
export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}
