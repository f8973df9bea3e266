/**
 * A file of a case or a message, fetched from the `url` Deskie gives it. Deskie's documentation
 * says neither where that address points nor whether it needs the API's credentials: they are sent
 * to the account's own origin only, never to another host an address may name. It is not an API
 * call (not under `/api/`), so it asks the rate governor for nothing.
 */
import { DeskieError } from './errors';

export interface FileAccount {
  baseUrl: string;
  staffEmail: string;
  apiKey: string;
  /** How long Deskie has to start answering; the body then streams as long as the reader reads. */
  timeoutMs: number;
  fetch: typeof fetch;
}

/** Streams the file at `url`; `signal` ends it (the visitor left). Throws DeskieError when it cannot. */
export async function downloadFile(
  account: FileAccount,
  url: string,
  signal?: AbortSignal,
): Promise<Response> {
  const fail = (code: DeskieError['code'], extra: { status?: number; cause?: unknown } = {}) =>
    new DeskieError({ code, method: 'GET', path: 'attachment', ...extra });
  let target: URL;
  try {
    target = new URL(url);
  } catch (cause) {
    throw fail('DESKIE_BAD_RESPONSE', { cause });
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw fail('DESKIE_BAD_RESPONSE');
  const headers: Record<string, string> = {};
  if (target.origin === new URL(account.baseUrl).origin)
    headers.authorization = `Basic ${btoa(unescape(encodeURIComponent(`${account.staffEmail}:${account.apiKey}`)))}`;
  const ended = new AbortController();
  const end = () => ended.abort(signal?.reason);
  signal?.addEventListener('abort', end, { once: true });
  const timer = setTimeout(
    () => ended.abort(new DOMException('The operation timed out.', 'TimeoutError')),
    account.timeoutMs,
  );
  try {
    // Redirects are not followed: one could carry the credentials to another host.
    const response = await account.fetch(target, { headers, redirect: 'manual', signal: ended.signal });
    if (response.ok && response.body) return response;
    await response.body?.cancel();
    const status = response.status;
    throw fail(
      status === 404 ? 'DESKIE_NOT_FOUND' : status >= 500 ? 'DESKIE_UNAVAILABLE' : 'DESKIE_REJECTED',
      {
        status,
      },
    );
  } catch (cause) {
    if (cause instanceof DeskieError) throw cause;
    const timedOut =
      ended.signal.reason instanceof DOMException && ended.signal.reason.name === 'TimeoutError';
    throw fail(timedOut ? 'DESKIE_TIMEOUT' : 'DESKIE_NETWORK', { cause });
  } finally {
    clearTimeout(timer);
  }
}
