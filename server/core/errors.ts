import { type ErrorCode, errorStatus, type FieldErrorCode } from '../contract';

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
