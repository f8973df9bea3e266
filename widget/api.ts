/**
 * The widget's only connection: our backend's /v1 API, over XMLHttpRequest (the one browser API
 * that reports upload progress). Every failure becomes a WidgetError with a code the UI can
 * explain — the server's SCREAMING_SNAKE codes, plus NETWORK, TIMEOUT and BAD_RESPONSE.
 */
import type {
  ErrorCode,
  FieldErrorCode,
  FormResponse,
  SubmissionBody,
  SubmissionResponse,
} from '../server/contract';

/** The server's codes, and the widget's own: NETWORK, OFFLINE (waiting to resend), TIMEOUT, BAD_RESPONSE. */
export type WidgetErrorCode =
  | ErrorCode
  | 'NETWORK'
  | 'OFFLINE'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  | 'CAPTCHA_REQUIRED';

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

/** Any failure as a WidgetError. */
export const asError = (e: unknown) => (e instanceof WidgetError ? e : new WidgetError('NETWORK', String(e)));

/** How long one request may take before it counts as TIMEOUT (uploads get longer: see `submit`). */
export const TIMEOUT_MS = 20_000;

// biome-ignore lint/suspicious/noExplicitAny: answers are checked by hand, field by field, before use.
type Json = any;

interface CallOptions {
  body?: string | FormData;
  key?: string;
  timeout?: number;
  onProgress?(loaded?: number, total?: number): void;
}

/** Calls `fire` after `ms` unless the function it returns is called first. */
export type Timer = (ms: number, fire: () => void) => () => void;

const after: Timer = (ms, fire) => {
  const id = setTimeout(fire, ms);
  return () => clearTimeout(id);
};

/**
 * A client for one form on one backend; `timeoutMs` bounds each request (uploads get more).
 * Timeouts run on `timer` (default: setTimeout), so a test can say when one is up.
 */
export function createApi(endpoint: string, formId: string, timeoutMs = TIMEOUT_MS, timer = after) {
  const base = `${endpoint.replace(/\/+$/, '')}/v1/forms/${encodeURIComponent(formId)}`;

  const call = (
    method: string,
    path: string,
    accept: (json: Json) => boolean,
    options: CallOptions = {},
  ): Promise<{ json: Json; xhr: XMLHttpRequest }> =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, base + path);
      if (typeof options.body === 'string') xhr.setRequestHeader('Content-Type', 'application/json');
      if (options.key) xhr.setRequestHeader('Idempotency-Key', options.key);
      const progress = options.onProgress;
      if (progress) xhr.upload.onprogress = (e) => progress(e.loaded, e.total);
      xhr.onerror = () => reject(new WidgetError('NETWORK', 'network failed'));
      // A timer rather than xhr.timeout: the same in every browser and test DOM.
      xhr.onloadend = timer(options.timeout ?? timeoutMs, () => {
        xhr.abort();
        reject(new WidgetError('TIMEOUT', 'timed out'));
      });
      xhr.onload = () => {
        let json: Json;
        try {
          json = JSON.parse(xhr.responseText);
        } catch {}
        const error = json?.error;
        if (xhr.status >= 200 && xhr.status < 300 && json && accept(json)) resolve({ json, xhr });
        else if (xhr.status >= 400 && typeof error?.code === 'string')
          reject(new WidgetError(error.code, String(error.message), error.fields, error.retryAfter));
        else reject(new WidgetError('BAD_RESPONSE', `unexpected answer (HTTP ${xhr.status})`));
      };
      xhr.send(options.body ?? null);
    });

  return {
    /** A call to this form's API (the lazy chunks' own requests). */
    call,
    /** The form definition, with the freshest token (from the `Form-Token` header when present). */
    async getForm(locale?: string): Promise<FormResponse> {
      const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
      const { json, xhr } = await call(
        'GET',
        query,
        (j) => Array.isArray(j.form?.fields) && typeof j.formToken === 'string',
      );
      return { form: json.form, formToken: xhr.getResponseHeader('Form-Token') ?? json.formToken };
    },

    /**
     * Files a request, with files as multipart; the same `key` for every retry of one submission.
     * `onProgress` gets the bytes uploaded so far and the body's size.
     */
    async submit(
      payload: SubmissionBody,
      key: string,
      files: readonly File[] = [],
      onProgress?: (loaded?: number, total?: number) => void,
    ): Promise<SubmissionResponse> {
      let body: string | FormData = JSON.stringify(payload);
      if (files.length > 0) {
        const form = new FormData();
        form.append('payload', body);
        for (const file of files) form.append('attachments', file, file.name);
        body = form;
      }
      const bytes = files.reduce((sum, f) => sum + f.size, 0);
      const { json } = await call(
        'POST',
        '/submissions',
        (j) =>
          typeof j.lookupToken === 'string' &&
          (typeof j.caseNumber === 'string' || typeof j.receipt === 'string'),
        // A slow uplink is not a dead server: allow 1 s per 50 KB on top.
        { body, key, timeout: timeoutMs + bytes / 50, ...(onProgress ? { onProgress } : {}) },
      );
      return json;
    },
  };
}

export type Api = ReturnType<typeof createApi>;
