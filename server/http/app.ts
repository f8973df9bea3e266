/**
 * createApp(deps) → the Hono app. Web-standard only (no process.env, no node: imports), so every
 * runtime entry is a thin wrapper around it; every dependency arrives finished (runtimes/backend.ts).
 */
import { type Context, type ErrorHandler, Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { openAPIRouteHandler } from 'hono-openapi';
import { ApiError } from '../core/errors';
import type { Logger } from '../core/log';
import { addressKey, countHit, type LimiterName, readyStore, secondsUntil } from '../rate/limits';
import { answerHeaders, respondJson, vary } from './answer';
import { bodyCap } from './body-cap';
import { compressJson } from './compression';
import type { AppDeps, AppEnv } from './deps';
import { adminRoutes } from './routes/admin';
import { formRoutes } from './routes/forms';
import { replyRoutes } from './routes/replies';
import { requestsRoutes } from './routes/requests';
import { statusRoutes } from './routes/status';
import { systemRoutes } from './routes/system';

/** The one error shape, from one place: typed errors as they are, Hono's as their code, the rest 500. */
const errorHandler =
  (log: Logger): ErrorHandler<AppEnv> =>
  (error, c) => {
    if (error instanceof ApiError)
      return respondJson(
        c,
        error.toJSON(),
        error.status,
        error.retryAfter === undefined ? {} : { 'Retry-After': String(error.retryAfter) },
      );
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : error.status === 405
            ? 'METHOD_NOT_ALLOWED'
            : 'BAD_REQUEST';
      const known = new ApiError(code, error.message || 'The request could not be read.');
      return respondJson(c, known.toJSON(), known.status);
    }
    // The client went away (a visitor who left, an upload cut off): nobody reads the answer, and
    // nothing on our side went wrong.
    if (c.req.raw.signal.aborted) {
      const gone = new ApiError('BAD_REQUEST', 'The request was abandoned before it was answered.');
      return respondJson(c, gone.toJSON(), 400);
    }
    log('error', 'unhandled error', { requestId: c.get('requestId'), error: String(error) });
    const internal = new ApiError('INTERNAL_ERROR', 'Something went wrong on our side. Please try again.');
    return respondJson(c, internal.toJSON(), 500);
  };

const EXPOSED = ['Form-Token', 'Retry-After', 'X-Request-Id', 'ETag', 'Content-Disposition'];

/**
 * The versioned API's first guards: CORS, and writes only from allowed origins. A preflight is
 * Hono's cors; every other request gets its CORS headers in the request's headers (answer.ts)
 * before the handler runs, so its answer is built once with them. A request without an Origin is
 * no browser's cross-origin read: it is told nothing about CORS but that the answer varies by it.
 */
function guards(deps: AppDeps): MiddlewareHandler<AppEnv>[] {
  const { config } = deps;
  const allowed = new Set(config.allowedOrigins);
  /** An origin may use the API when configured, or when it is the API's own. */
  const originAllowed = (origin: string, c: Context) =>
    allowed.has('*') || allowed.has(origin) || origin === new URL(c.req.url).origin;
  const preflight = cors({
    origin: (origin, c) => (originAllowed(origin, c) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key', 'Accept-Language'],
    exposeHeaders: EXPOSED,
    maxAge: 600,
  });
  const exposed = EXPOSED.join(',');
  return [
    async (c, next) => {
      if (c.req.method === 'OPTIONS') return preflight(c, next);
      const origin = c.req.header('origin');
      const permitted = origin !== undefined && originAllowed(origin, c);
      vary(c, 'Origin');
      if (permitted) {
        const headers = c.get('headers');
        headers['Access-Control-Allow-Origin'] = origin;
        headers['Access-Control-Expose-Headers'] = exposed;
      }
      // CORS only hides answers from other origins; a write from one must not happen at all.
      if (c.req.method === 'POST' && origin && !permitted)
        throw new ApiError('ORIGIN_NOT_ALLOWED', 'This site may not use this form.');
      await next();
    },
  ];
}

/**
 * A per-address limit of `limit` requests a window, counted in the deployment's counters (a
 * hono-rate-limiter store). The middleware around the count is ours: that library's awaited four
 * times and bound two functions for every request, for context nobody here reads (~3 % of a
 * queued submission's CPU). The count and the refusal are the same: more than `limit` hits in the
 * window is refused, with Retry-After at the window's end. No RateLimit headers: a visitor's widget
 * needs only Retry-After, and a flood's author would read the budget from them.
 */
function perAddress(
  deps: AppDeps,
  name: LimiterName,
  limit: number,
  windowSeconds: number,
): MiddlewareHandler<AppEnv> {
  const store = readyStore(deps.counters(name), windowSeconds * 1000);
  return async (c, next) => {
    const { totalHits, resetTime } = await countHit(store, addressKey(deps.clientIp(c)));
    if (totalHits > limit)
      throw new ApiError('RATE_LIMITED', 'Too many requests from this address. Please wait and try again.', {
        retryAfter: secondsUntil(resetTime, windowSeconds),
      });
    await next();
  };
}

/** The Hono app for one deployment. */
export function createApp(deps: AppDeps) {
  const { config, clock, log } = deps;
  const app = new Hono<AppEnv>();
  app.use(answerHeaders(clock, log));

  // Only answers that can be large are gzipped: a definition, a status with replies, the API
  // document, the operator's lists. A submission's answer is always small.
  if (deps.compressJson)
    // The definition compresses itself where it can (routes/forms.ts).
    for (const path of [
      '/v1/forms/:id',
      '/v1/forms/:id/status',
      '/v1/forms/:id/requests',
      '/openapi.json',
      '/admin/*',
    ])
      if (!(deps.gzip && path === '/v1/forms/:id')) app.use(path, compressJson());
  const v1 = new Hono<AppEnv>();
  v1.use(...guards(deps));
  // The cheap refusals come before a byte of the body is read: origin, then the address's limit,
  // then the size.
  const { submissions, lookups } = config.limits;
  // A reply is a write too: one count per address with the submissions.
  const submissionLimit = perAddress(deps, 'submissions', submissions.limit, submissions.windowSeconds);
  v1.post('/forms/:id/submissions', submissionLimit);
  v1.post('/forms/:id/replies', submissionLimit);
  // A file of a reply is a lookup too: one count per address for both, and the same lane of the budget.
  const lookupLimit = perAddress(deps, 'lookups', lookups.limit, lookups.windowSeconds);
  v1.post('/forms/:id/status', lookupLimit);
  v1.get('/forms/:id/files/:link', lookupLimit);
  v1.post('/forms/:id/requests', lookupLimit);
  v1.use(bodyCap(config.limits.bodyBytes));
  v1.route('/', formRoutes(deps));
  v1.route('/', statusRoutes(deps));
  v1.route('/', requestsRoutes(deps));
  v1.route('/', replyRoutes(deps));
  for (const path of [
    '/forms/:id',
    '/forms/:id/submissions',
    '/forms/:id/status',
    '/forms/:id/files/:link',
    '/forms/:id/requests',
    '/forms/:id/replies',
  ])
    v1.all(path, (c) => {
      throw new ApiError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here.`);
    });

  app.route('/v1', v1);
  app.route('/', systemRoutes(deps));
  if (deps.adminToken) app.route('/admin', adminRoutes(deps, deps.adminToken));
  app.get(
    '/openapi.json',
    openAPIRouteHandler(app, {
      documentation: {
        info: {
          title: 'deskie-form API',
          version: '1',
          description: 'Request forms that file cases in Deskie.',
        },
      },
    }),
  );
  app.notFound((c) => c.json(new ApiError('NOT_FOUND', 'There is nothing at this address.').toJSON(), 404));
  app.onError(errorHandler(log));
  return app;
}

export type App = ReturnType<typeof createApp>;
