/**
 * Deskie's API calls on Node through undici's `request` rather than the global `fetch`: the same
 * HTTP/1.1 over kept-alive connections, at a fraction of the CPU per call — Node 20's fetch spent
 * ~300–450 µs of CPU on one create-case call to the simulator, `request` ~45–80 µs (measured side by
 * side in one process). Every case a flood queues is one such call, so a Node or Lambda owner pays
 * for it on every delivery. Only the plain shape the transport sends takes this way (a text body or
 * none, redirects followed); anything else — multipart uploads, file downloads that stream with
 * `redirect: 'manual'` — is left to `fetch` itself. Redirects are followed as fetch follows them
 * (undici's redirect interceptor: a write answered 301/302/303 goes on as a GET, never sent twice;
 * credentials are not carried to another host). Failures keep fetch's shape: an abort rejects with
 * the signal's reason, a network error as `TypeError('fetch failed')` with the cause the transport reads.
 */
import { Agent, interceptors, request } from 'undici';

/** Kept-alive connections, following redirects as fetch does (at most 20, as fetch). */
const dispatcher = new Agent().compose(interceptors.redirect({ maxRedirections: 20 }));

/** Header values as a Response takes them (undici gives repeated ones as arrays). */
function flat(headers: Record<string, string | string[] | undefined>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers))
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
      pairs.push([name, one]);
  return pairs;
}

const decoder = new TextDecoder();

/**
 * `response`, whose body `bytes` is already read, answering `text()` and `json()` from them. Under
 * Node's Hono adapter the global Response is a light stand-in that builds a real one, with a stream
 * over the bytes, for any read of the body: ~10 % of the CPU of a created case, for bytes in hand.
 */
function buffered(response: Response, bytes: Uint8Array | null): Response {
  const text = async () => (bytes ? decoder.decode(bytes) : '');
  return Object.defineProperties(response, {
    text: { value: text },
    json: { value: async () => JSON.parse(await text()) },
  });
}

/** Statuses whose Response may carry no body. */
const NO_BODY = new Set([101, 204, 205, 304]);

export const nodeFetch: typeof fetch = async (input, init = {}) => {
  const { method = 'GET', headers, body, signal, redirect } = init;
  const plain =
    (body === undefined || body === null || typeof body === 'string') &&
    redirect === undefined &&
    (headers === undefined ||
      (typeof headers === 'object' && !Array.isArray(headers) && !(headers instanceof Headers)));
  if (!plain || input instanceof Request) return fetch(input, init);
  try {
    const answer = await request(String(input), {
      method: method as 'GET',
      headers: headers as Record<string, string> | undefined,
      body: body ?? undefined,
      signal: signal ?? undefined,
      dispatcher,
    });
    const { statusCode } = answer;
    const bytes = NO_BODY.has(statusCode) ? null : new Uint8Array(await answer.body.arrayBuffer());
    return buffered(new Response(bytes, { status: statusCode, headers: flat(answer.headers) }), bytes);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
};
