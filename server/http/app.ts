/**
 * createApp(deps) → the Hono app. Web-standard only (no process.env, no node: imports), so every
 * runtime entry (node.ts, later worker.ts and lambda.ts) is a thin wrapper around it.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { openAPIRouteHandler } from 'hono-openapi';
import { MemoryStore, rateLimiter, type Store } from 'hono-rate-limiter';
import { systemClock } from '../core/clock';
import { ApiError } from '../core/errors';
import { createLogger } from '../core/log';
import { createFieldCatalog, createFormResolver } from '../forms/definition';
import type { AppDeps, AppEnv, Deps, LimiterName } from './deps';
import { adminRoutes } from './routes/admin';
import { formRoutes } from './routes/forms';
import { statusRoutes } from './routes/status';
import { systemRoutes } from './routes/system';

/** The Hono app for one deployment. */
export function createApp(appDeps: AppDeps) {
  const clock = appDeps.clock ?? systemClock;
  const { config } = appDeps;
  const deps: Deps = {
    clock,
    random: Math.random,
    log: createLogger(),
    ...appDeps,
    delivery: {
      store: appDeps.outbox,
      deskie: appDeps.deskie,
      governor: appDeps.governor,
      clock,
      random: appDeps.random ?? Math.random,
      log: appDeps.log ?? createLogger(),
      owner: appDeps.instanceId ?? `web-${crypto.randomUUID().slice(0, 8)}`,
      leaseMs: appDeps.leaseMs,
      wake: appDeps.onQueued ?? (() => {}),
    },
    forms: createFormResolver(
      appDeps.fieldCatalog ??
        createFieldCatalog(appDeps.deskie, config.deskie.fieldCacheSeconds * 1000, clock),
    ),
    limiterStore: (name, windowMs) => {
      const store = appDeps.limiterStore?.(name) ?? new MemoryStore<AppEnv>();
      store.init?.({ windowMs } as Parameters<NonNullable<Store<AppEnv>['init']>>[0]);
      return store;
    },
    clientIp: (c) => {
      if (config.trustProxy) {
        const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
        if (forwarded) return forwarded;
      }
      return appDeps.clientIp?.(c);
    },
  };
  const { log } = deps;

  const allowed = new Set(config.allowedOrigins);
  /** An origin may use the API when configured, or when it is the API's own. */
  const originAllowed = (origin: string, requestUrl: string) =>
    allowed.has('*') || allowed.has(origin) || origin === new URL(requestUrl).origin;

  const perIp = (name: LimiterName, limit: number, windowSeconds: number): MiddlewareHandler<AppEnv> =>
    rateLimiter<AppEnv>({
      windowMs: windowSeconds * 1000,
      limit,
      store: appDeps.limiterStore?.(name) ?? new MemoryStore<AppEnv>(),
      standardHeaders: 'draft-7',
      keyGenerator: (c) => deps.clientIp(c) ?? 'unknown',
      handler: (c) => {
        const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
        const wait = info?.resetTime
          ? Math.ceil((info.resetTime.getTime() - clock.now()) / 1000)
          : windowSeconds;
        throw new ApiError(
          'RATE_LIMITED',
          'Too many requests from this address. Please wait and try again.',
          {
            retryAfter: Math.max(1, wait),
          },
        );
      },
    });

  const app = new Hono<AppEnv>();
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    const started = clock.now();
    await next();
    log('info', 'request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: clock.now() - started,
    });
  });
  app.use(secureHeaders({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false }));

  const v1 = new Hono<AppEnv>();
  v1.use(
    cors({
      origin: (origin, c) => (originAllowed(origin, c.req.url) ? origin : null),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Idempotency-Key', 'Accept-Language'],
      exposeHeaders: ['Form-Token', 'Retry-After', 'X-Request-Id', 'ETag'],
      maxAge: 600,
    }),
  );
  // CORS only hides answers from other origins; a write from one must not happen at all.
  v1.use(async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'POST' && origin && !originAllowed(origin, c.req.url))
      throw new ApiError('ORIGIN_NOT_ALLOWED', 'This site may not use this form.');
    await next();
  });
  v1.use(
    bodyLimit({
      maxSize: config.limits.bodyBytes,
      onError: () => {
        throw new ApiError(
          'PAYLOAD_TOO_LARGE',
          `The request is larger than ${config.limits.bodyBytes} bytes.`,
        );
      },
    }),
  );
  const { submissions, lookups } = config.limits;
  v1.post('/forms/:id/submissions', perIp('submissions', submissions.limit, submissions.windowSeconds));
  v1.post('/forms/:id/status', perIp('lookups', lookups.limit, lookups.windowSeconds));
  v1.route('/', formRoutes(deps));
  v1.route('/', statusRoutes(deps));
  for (const path of ['/forms/:id', '/forms/:id/submissions', '/forms/:id/status'])
    v1.all(path, (c) => {
      throw new ApiError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here.`);
    });

  app.route('/v1', v1);
  app.route('/', systemRoutes(deps));
  if (appDeps.adminToken) app.route('/admin', adminRoutes(deps, appDeps.adminToken));
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
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
      return c.json(error.toJSON(), error.status as 400);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : error.status === 405
            ? 'METHOD_NOT_ALLOWED'
            : 'BAD_REQUEST';
      const known = new ApiError(code, error.message || 'The request could not be read.');
      return c.json(known.toJSON(), known.status as 400);
    }
    log('error', 'unhandled error', { requestId: c.get('requestId'), error: String(error) });
    const internal = new ApiError('INTERNAL_ERROR', 'Something went wrong on our side. Please try again.');
    return c.json(internal.toJSON(), 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
