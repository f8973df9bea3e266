/** Liveness, readiness (Deskie accepts our credentials), and the widget bundle. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv, Deps } from '../deps';
import { DeskieError } from '../deskie/errors';
import { ApiError } from '../errors';
import { sha256Hex } from '../hash';

const READY_CACHE_MS = 30_000;

export function systemRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  let ready: { at: number; ok: boolean; why?: string } | undefined;

  app.get('/healthz', describeRoute({ summary: 'Liveness: the process answers' }), (c) =>
    c.json({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    describeRoute({
      summary: 'Readiness: Deskie accepts our credentials (checked at most every 30 s); outbox depth and age',
    }),
    async (c) => {
      const now = deps.clock.now();
      if (!ready || now - ready.at > READY_CACHE_MS) {
        try {
          await deps.deskie.listLabels();
          ready = { at: now, ok: true };
        } catch (error) {
          const code = error instanceof DeskieError ? error.code : 'UNKNOWN';
          ready = { at: now, ok: false, why: code };
          deps.log('error', 'readiness check failed', { code });
        }
      }
      if (!ready.ok) {
        const why =
          ready.why === 'DESKIE_AUTH_FAILED' || ready.why === 'DESKIE_FORBIDDEN'
            ? 'Deskie refused the credentials (check DESKIE_STAFF_EMAIL and DESKIE_API_KEY).'
            : 'Deskie cannot be reached.';
        throw new ApiError('NOT_READY', why, { retryAfter: 30 });
      }
      const outbox = await deps.delivery.store.stats();
      return c.json({
        status: 'ready',
        deskie: 'ok',
        outbox: {
          pending: outbox.pending,
          dead: outbox.dead,
          oldestPendingSeconds:
            outbox.oldestPendingAt === null ? 0 : Math.round((now - outbox.oldestPendingAt) / 1000),
        },
      });
    },
  );

  let script: { bytes: Uint8Array<ArrayBuffer>; etag: string } | undefined;
  app.get(
    '/deskie-form.js',
    describeRoute({ summary: 'The widget bundle (embed with a script tag)' }),
    async (c) => {
      if (!script) {
        const bytes = await deps.widgetScript?.();
        if (!bytes) throw new ApiError('NOT_FOUND', 'The widget is not built. Run "npm run build".');
        const copy = new Uint8Array(bytes);
        script = { bytes: copy, etag: `"${sha256Hex(copy).slice(0, 32)}"` };
      }
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
      c.header('ETag', script.etag);
      // Any site may load the script; it holds nothing secret.
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      if (c.req.header('if-none-match') === script.etag) return c.body(null, 304);
      return c.body(script.bytes);
    },
  );

  return app;
}
