import { type ErrorCode, errorStatus, type FieldErrorCode } from '../contract';
import type { DeskieError } from '../deskie/errors';

/** An error the API answers with `{ "error": { code, message, … } }` and the code's status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly fields: Record<string, FieldErrorCode> | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { fields?: Record<string, FieldErrorCode>; retryAfter?: number } = {},
  ) {
    super(message);
    this.status = errorStatus[code];
    this.fields = extra.fields;
    this.retryAfter = extra.retryAfter;
  }

  /** The response body. */
  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
      },
    };
  }
}

/**
 * What a visitor is told when a Deskie read failed. Nothing of Deskie's own answer is passed on:
 * it may name the account or staff. Throttling says when to come back.
 */
export function fromDeskieError(error: DeskieError): ApiError {
  const retryAfter =
    error.code === 'DESKIE_RATE_LIMITED' ? Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000)) : 30;
  return new ApiError(
    'DESKIE_UNAVAILABLE',
    'The help desk cannot be reached right now. Please try again shortly.',
    {
      retryAfter,
    },
  );
}
