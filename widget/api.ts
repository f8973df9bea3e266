/**
 * The widget's only connection: our backend's /v1 API. Every failure becomes a WidgetError with
 * a code the UI can explain — the server's SCREAMING_SNAKE codes, plus NETWORK and TIMEOUT.
 */
import {
  type ErrorCode,
  errorBody,
  type FieldErrorCode,
  type FormResponse,
  formResponse,
  type StatusRequest,
  type StatusResponse,
  type SubmissionBody,
  type SubmissionResponse,
  statusResponse,
  submissionResponse,
} from '../server/contract';

export type WidgetErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT' | 'BAD_RESPONSE';

export class WidgetError extends Error {
  override readonly name = 'WidgetError';
  constructor(
    readonly code: WidgetErrorCode,
    message: string,
    readonly fields?: Record<string, FieldErrorCode>,
    /** Seconds the server asked us to wait. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 20_000;

/** A client for one form on one backend. */
export function createApi(endpoint: string, formId: string, fetcher: typeof fetch = (...a) => fetch(...a)) {
  const base = `${endpoint.replace(/\/+$/, '')}/v1/forms/${encodeURIComponent(formId)}`;

  const call = async <T>(
    path: string,
    init: RequestInit,
    accept: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ): Promise<{ body: T; response: Response }> => {
    let response: Response;
    let json: unknown;
    try {
      response = await fetcher(base + path, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      json = await response.json().catch(() => undefined);
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new WidgetError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        timedOut ? 'The server took too long.' : 'The network failed.',
      );
    }
    if (!response.ok) {
      const parsed = errorBody.safeParse(json);
      if (!parsed.success)
        throw new WidgetError('BAD_RESPONSE', `Unexpected answer (HTTP ${response.status}).`);
      const { code, message, fields, retryAfter } = parsed.data.error;
      throw new WidgetError(code, message, fields, retryAfter);
    }
    const parsed = accept.safeParse(json);
    if (!parsed.success) throw new WidgetError('BAD_RESPONSE', 'Unexpected answer from the server.');
    return { body: parsed.data, response };
  };

  return {
    /** The form definition; the token from the `Form-Token` header when present (fresh on 304s too). */
    async getForm(locale?: string): Promise<FormResponse> {
      const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
      const { body, response } = await call(query, { method: 'GET' }, formResponse);
      return { ...body, formToken: response.headers.get('Form-Token') ?? body.formToken };
    },

    /** Files a request; the same `key` for every retry of one submission. */
    async submit(payload: SubmissionBody, key: string): Promise<SubmissionResponse> {
      const init = {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(payload),
      };
      return (await call('/submissions', init, submissionResponse)).body;
    },

    async status(request: StatusRequest): Promise<StatusResponse> {
      const init = {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      };
      return (await call('/status', init, statusResponse)).body;
    },
  };
}

export type Api = ReturnType<typeof createApi>;
