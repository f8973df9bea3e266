/** What went wrong talking to Deskie, as a code the rest of the product can switch on. */
export type DeskieErrorCode =
  | 'DESKIE_AUTH_FAILED' // 401: the API key was refused
  | 'DESKIE_FORBIDDEN' // 403: unknown staff email, or the staff member lacks access
  | 'DESKIE_NOT_FOUND' // 404 or an `*_not_found` error body
  | 'DESKIE_REJECTED' // another 4xx: Deskie refused the data; retrying will not help
  | 'DESKIE_RATE_LIMITED' // 429, or the legacy 403 "rate limit exceeded"
  | 'DESKIE_UNAVAILABLE' // 5xx
  | 'DESKIE_TIMEOUT' // no answer within the timeout
  | 'DESKIE_NETWORK' // connection refused, reset or dropped
  | 'DESKIE_BAD_RESPONSE'; // an answer we cannot read (not JSON, or a field we need is missing)

export interface DeskieErrorDetails {
  code: DeskieErrorCode;
  method: string;
  path: string;
  /** HTTP status, when Deskie answered at all. */
  status?: number;
  /** Deskie's own `error` string, e.g. `case_not_found`. */
  deskieCode?: string;
  /** For DESKIE_RATE_LIMITED: how long Deskie asked us to wait. */
  retryAfterMs?: number;
  /** Override for writes: false when the request surely never reached Deskie (connection refused). */
  ambiguous?: boolean;
  cause?: unknown;
}

/**
 * A failed Deskie call. `retryable` says whether the same call may succeed later; `ambiguous` says
 * Deskie may have carried out a write although we saw no answer (the caller must check before
 * repeating it, or risk a duplicate).
 */
export class DeskieError extends Error {
  override readonly name = 'DeskieError';
  readonly code: DeskieErrorCode;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly deskieCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly ambiguous: boolean;

  constructor(details: DeskieErrorDetails) {
    const where = `${details.method} ${details.path}`;
    const what = details.deskieCode ?? (details.status ? `HTTP ${details.status}` : details.code);
    super(`Deskie ${where} failed: ${what}`, { cause: details.cause });
    this.code = details.code;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.deskieCode = details.deskieCode;
    this.retryAfterMs = details.retryAfterMs;
    const lost = details.code === 'DESKIE_TIMEOUT' || details.code === 'DESKIE_NETWORK';
    this.retryable = lost || details.code === 'DESKIE_UNAVAILABLE' || details.code === 'DESKIE_RATE_LIMITED';
    // A 5xx may also come after the write was done; only a write with no answer is ambiguous here.
    this.ambiguous =
      details.method !== 'GET' && (details.ambiguous ?? (lost || details.code === 'DESKIE_UNAVAILABLE'));
  }
}
