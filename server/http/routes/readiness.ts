/**
 * Readiness: whether this instance can do its work (Deskie accepts our credentials), how deep and
 * old the outbox is, and whether something waits for the owner (dead letters: degraded).
 */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as z from 'zod';
import { ApiError } from '../../core/errors';
import { DeskieError } from '../../deskie/errors';
import type { OutboxStats } from '../../outbox/types';
import type { AppDeps, AppEnv } from '../deps';
import { errors, json } from './openapi';

const READY_CACHE_MS = 30_000;

/**
 * What /readyz answers while Deskie accepts us. `degraded` is still a 200: the instance accepts
 * and delivers, and taking it out of a load balancer would only turn visitors away; it says that
 * something waits for the owner, and `reasons` says what and what to do.
 */
const readiness = z.object({
  status: z.enum(['ready', 'degraded']),
  deskie: z.literal('ok'),
  outbox: z.object({
    pending: z.number().int().min(0),
    dead: z.number().int().min(0),
    oldestPendingSeconds: z.number().int().min(0),
  }),
  reasons: z.array(z.object({ code: z.enum(['DEAD_LETTERS']), message: z.string() })),
});
type Readiness = z.infer<typeof readiness>;

/** Why the instance is degraded; empty when it is not. */
function degradation(outbox: OutboxStats): Readiness['reasons'] {
  const waiting = outbox.deadRetryable;
  if (waiting === 0) return [];
  const letters = waiting === 1 ? '1 submission' : `${waiting} submissions`;
  return [
    {
      code: 'DEAD_LETTERS',
      message:
        `${letters} Deskie refused for good ${waiting === 1 ? 'waits' : 'wait'} in the outbox (dead letters). ` +
        'See why with "npm run outbox -- list dead" or GET /admin/outbox?status=dead; once the cause is ' +
        'fixed, retry with "npm run outbox -- retry <id>" or POST /admin/outbox/{id}/retry.',
    },
  ];
}

/** GET /readyz. */
export function readinessRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let ready: { at: number; ok: boolean; why?: string } | undefined;

  app.get(
    '/readyz',
    describeRoute({
      summary:
        'Readiness: Deskie accepts our credentials (checked at most every 30 s); outbox depth and age; degraded while dead letters wait',
      responses: {
        200: {
          description:
            'Ready, or degraded: still accepting and delivering, but something needs the owner (see reasons)',
          content: json(readiness),
        },
        503: errors('Deskie refuses the credentials or cannot be reached'),
      },
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
      const outbox = await deps.outbox.stats();
      const reasons = degradation(outbox);
      return c.json({
        status: reasons.length > 0 ? 'degraded' : 'ready',
        deskie: 'ok',
        outbox: {
          pending: outbox.pending,
          dead: outbox.dead,
          oldestPendingSeconds:
            outbox.oldestPendingAt === null ? 0 : Math.round((now - outbox.oldestPendingAt) / 1000),
        },
        reasons,
      } satisfies Readiness);
    },
  );

  return app;
}
