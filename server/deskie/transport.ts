/**
 * One Deskie call over HTTP: Basic auth, a permit from the account's governor for every attempt,
 * Deskie's answer turned into a parsed value or a DeskieError. Reads are retried on network errors
 * and 5xx, writes only when Deskie throttled them (then it surely did nothing).
 */
import pRetry from 'p-retry';
import { DeskieError, type DeskieErrorCode } from './errors';
import { BudgetUnavailable, callCost, type RateGovernor, type RatePermit } from './rate';

export type Query = Record<string, string | number | boolean | undefined | Array<string | number>>;

export interface Call<R> {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Query;
  body?: { json: unknown } | { form: FormData };
  /** Parses the decoded JSON body. */
  parse: (body: unknown) => R;
  /** Budget already reserved for the first attempt. */
  permit?: RatePermit;
  /** Default: true. */
  retryThrottled?: boolean;
}

export interface TransportOptions {
  baseUrl: string;
  staffEmail: string;
  apiKey: string;
  governor: RateGovernor;
  timeoutMs: number;
  readAttempts: number;
  throttledAttempts: number;
  backoffMs: number;
  fetch: typeof fetch;
  /** Makes the signal that ends one attempt after `ms` (see DeskieClientOptions.timeoutSignal). */
  timeoutSignal: (ms: number) => AbortSignal;
}

const statusCodes: Record<number, DeskieErrorCode> = {
  401: 'DESKIE_AUTH_FAILED',
  403: 'DESKIE_FORBIDDEN',
  404: 'DESKIE_NOT_FOUND',
  429: 'DESKIE_RATE_LIMITED',
};

/** Deskie's PHP-style query string: arrays as `key[]=…`. */
function toSearch(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(`${key}[]`, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Deskie's `{"error":"case_not_found"}`, when the body is one. */
function errorCodeOf(json: unknown): string | undefined {
  const error = json && typeof json === 'object' ? (json as { error?: unknown }).error : undefined;
  return typeof error === 'string' ? error : undefined;
}

/** The error a non-2xx answer means. A missing case or user is "not found" whatever the status. */
function refusal(status: number, deskieCode: string | undefined): DeskieErrorCode {
  if (status >= 500) return 'DESKIE_UNAVAILABLE';
  if (deskieCode === 'case_not_found' || deskieCode === 'user_not_found') return 'DESKIE_NOT_FOUND';
  return statusCodes[status] ?? 'DESKIE_REJECTED';
}

/** A transport for one account: `request(call)` with retries, each attempt under the governor. */
export function createTransport(options: TransportOptions) {
  const {
    governor,
    timeoutMs,
    timeoutSignal,
    readAttempts,
    throttledAttempts,
    backoffMs,
    fetch: doFetch,
  } = options;
  // The account URL may carry a path (a proxy, or the demo's mounted simulator): keep it.
  const base = new URL('api/', options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const auth = `Basic ${btoa(unescape(encodeURIComponent(`${options.staffEmail}:${options.apiKey}`)))}`;

  /** Sends the request; a failure to get any answer is DESKIE_TIMEOUT or DESKIE_NETWORK. */
  const exchange = async (call: Call<unknown>, permit: RatePermit) => {
    const { method, path } = call;
    const headers: Record<string, string> = { authorization: auth, accept: 'application/json' };
    let body: BodyInit | undefined;
    if (call.body && 'json' in call.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body.json);
    } else if (call.body) {
      body = call.body.form;
    }
    const url = new URL(path + toSearch(call.query ?? {}), base);
    try {
      const response = await doFetch(url, { method, headers, body, signal: timeoutSignal(timeoutMs) });
      return { response, text: await response.text() };
    } catch (cause) {
      permit.settle({});
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      const refused = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(
        String((cause as { cause?: { code?: string } })?.cause?.code),
      );
      const code = timedOut ? 'DESKIE_TIMEOUT' : 'DESKIE_NETWORK';
      throw new DeskieError({ code, method, path, ambiguous: !refused, cause });
    }
  };

  /** One HTTP exchange under the governor; throws DeskieError for anything but a usable 2xx. */
  const once = async <R>(call: Call<R>): Promise<R> => {
    const { method, path } = call;
    const reserved = call.permit;
    call.permit = undefined; // a retry reserves its own
    const permit =
      reserved ??
      (await governor.acquire(callCost(method)).catch((error: unknown) => {
        // No budget within the wait the caller allows: as if Deskie had said so, with its wait.
        if (!(error instanceof BudgetUnavailable)) throw error;
        throw new DeskieError({
          code: 'DESKIE_RATE_LIMITED',
          method,
          path,
          retryAfterMs: error.retryAfterMs,
        });
      }));
    const { response, text } = await exchange(call, permit);
    const { status } = response;
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const deskieCode = errorCodeOf(json);
    const throttled = status === 429 || (status === 403 && /rate limit exceeded/i.test(text));
    permit.settle({ headers: response.headers, throttled });
    if (throttled) {
      const retryAfterMs = permit.retryAfterMs;
      throw new DeskieError({ code: 'DESKIE_RATE_LIMITED', method, path, status, deskieCode, retryAfterMs });
    }
    if (!response.ok)
      throw new DeskieError({ code: refusal(status, deskieCode), method, path, status, deskieCode });
    if (json === undefined) throw new DeskieError({ code: 'DESKIE_BAD_RESPONSE', method, path, status });
    try {
      return call.parse(json);
    } catch (cause) {
      throw new DeskieError({ code: 'DESKIE_BAD_RESPONSE', method, path, status, cause });
    }
  };

  /** `once`, retried: throttled calls always (nothing was done), reads also on network errors and 5xx. */
  return <R>(call: Call<R>): Promise<R> => {
    const isRead = call.method === 'GET';
    return pRetry(() => once(call), {
      retries: Math.max(isRead ? readAttempts : 1, throttledAttempts) - 1,
      // Jittered exponential backoff; after a 429 the governor also holds the next attempt until
      // Deskie's `retry_after` has passed, whichever is later.
      factor: 2,
      minTimeout: backoffMs,
      maxTimeout: backoffMs * 16,
      randomize: true,
      shouldRetry: (error) => {
        if (!(error instanceof DeskieError)) return false;
        if (error.code === 'DESKIE_RATE_LIMITED')
          return call.retryThrottled !== false && error.attemptNumber < throttledAttempts;
        return isRead && error.retryable && error.attemptNumber < readAttempts;
      },
    });
  };
}
