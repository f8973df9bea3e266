/**
 * The headers every API answer carries, gathered per request in one plain object (`c.var.headers`):
 * the request's id, the security headers, CORS. A route answers through `respond`, which hands the
 * object to the Response as it is — Node's adapter then writes it straight to the socket, without a
 * Headers object built, filled and read back for each answer. Any other answer (a route's own
 * `c.json`, a middleware's) gets the same headers set on it afterwards, each where the answer does
 * not already say otherwise; Vary is the union of both.
 *
 * Hono's requestId and secureHeaders middlewares did this through `c.header`, which always builds a
 * Headers object; what they did is small enough to be ours: the id is the caller's own when it is
 * a safe token, a new UUID otherwise.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../core/log';
import type { AppEnv } from './deps';
import { apiHeaders } from './secure-headers';

/** A caller's id is kept when it is short and made of safe characters (what Hono's requestId takes). */
const SAFE_ID = /^[\w\-=]{1,255}$/;

/** Starts each request's headers, and logs each answer (`requestId` names it in the log). */
export function answerHeaders(clock: { now(): number }, log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = clock.now();
    const given = c.req.header('x-request-id');
    const id = given !== undefined && SAFE_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', id);
    const headers = apiHeaders(id);
    c.set('headers', headers);
    await next();
    const res = c.res;
    if (res !== c.get('answer')) addMissing(res.headers, headers);
    const { method, path } = c.req;
    log('info', 'request', { requestId: id, method, path, status: res.status, ms: clock.now() - started });
  };
}

/** Sets each of `ours` that `theirs` lacks; Vary gets the names it lacks of ours. */
function addMissing(theirs: Headers, ours: Record<string, string>) {
  for (const [name, value] of Object.entries(ours)) {
    const present = theirs.get(name);
    if (present === null) theirs.set(name, value);
    else if (name === 'Vary') {
      const named = new Set(present.split(',').map((v) => v.trim().toLowerCase()));
      const missing = value.split(', ').filter((v) => !named.has(v.toLowerCase()));
      if (missing.length > 0 && present !== '*') theirs.set(name, [present, ...missing].join(', '));
    }
  }
}

/** Adds `value` to the request's Vary header. */
export function vary(c: Context<AppEnv>, value: string) {
  const headers = c.get('headers');
  headers.Vary = headers.Vary ? `${headers.Vary}, ${value}` : value;
}

/**
 * An answer with the request's headers and `more` (which win), built without a Headers object.
 * Headers set with `c.header` are not carried: what a route adds goes in `more`. (Added one by
 * one, not spread: see secure-headers.ts `apiHeaders`.)
 */
export function respond(
  c: Context<AppEnv>,
  body: string | Uint8Array<ArrayBuffer> | null,
  status: number,
  more?: Record<string, string>,
): Response {
  const headers = c.get('headers');
  for (const name in more) headers[name] = more[name] as string;
  const res = new Response(body, { status, headers });
  c.set('answer', res);
  return res;
}

/** A JSON answer (see `respond`). */
export function respondJson(
  c: Context<AppEnv>,
  value: unknown,
  status: number,
  more?: Record<string, string>,
) {
  c.get('headers')['Content-Type'] = 'application/json';
  return respond(c, JSON.stringify(value), status, more);
}
