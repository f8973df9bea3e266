/** Operator endpoints for the outbox (Bearer ADMIN_TOKEN): list what waits or died, retry dead letters. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { ApiError } from '../../core/errors';
import { sha256Hex } from '../../core/hash';
import { redactEmail } from '../../core/log';
import { payloadEmail, payloadSubject, type Submission } from '../../outbox/types';
import type { AppDeps, AppEnv } from '../deps';

/**
 * An outbox row as an operator sees it: everything but the visitor's full email and the files;
 * once retention has dropped the payload, no subject or email at all.
 */
export const describeSubmission = (row: Submission) => {
  return {
    id: row.id,
    form: row.form_id,
    status: row.status,
    attempts: row.attempts,
    uncertain: row.uncertain,
    lastError: row.last_error,
    acceptedAt: new Date(row.created_at).toISOString(),
    nextAttemptAt: row.status === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
    caseNumber: row.case_number,
    purgedAt: row.purged_at === null ? null : new Date(row.purged_at).toISOString(),
    deadAt: row.status === 'dead' && row.dead_at !== null ? new Date(row.dead_at).toISOString() : null,
    /** When the owner's webhook accepted the notice of this death. */
    notifiedAt:
      row.status === 'dead' && row.notified_at !== null ? new Date(row.notified_at).toISOString() : null,
    subject: row.payload ? payloadSubject(row.payload) : null,
    email: row.payload ? redactEmail(payloadEmail(row.payload)) : null,
  };
};

export function adminRoutes(deps: AppDeps, token: string) {
  const app = new Hono<AppEnv>();
  const expected = sha256Hex(`Bearer ${token}`);
  app.use(async (c, next) => {
    // Hashes compared, so the comparison takes the same time wherever the header differs.
    if (sha256Hex(c.req.header('authorization') ?? '') !== expected)
      throw new ApiError('NOT_FOUND', 'There is nothing at this address.');
    await next();
  });

  app.get(
    '/outbox',
    describeRoute({ summary: 'Outbox: depth, dead letters, and the rows (?status=pending|dead|delivered)' }),
    async (c) => {
      const status = c.req.query('status');
      if (status !== undefined && !['pending', 'delivering', 'delivered', 'dead'].includes(status))
        throw new ApiError('BAD_REQUEST', 'status must be pending, delivering, delivered or dead.');
      const rows = await deps.outbox.list({
        status: status as Submission['status'] | undefined,
        limit: 500,
      });
      return c.json({ stats: await deps.outbox.stats(), submissions: rows.map(describeSubmission) });
    },
  );

  app.post(
    '/outbox/:id/retry',
    describeRoute({ summary: 'Put a dead letter back in the queue' }),
    async (c) => {
      const id = c.req.param('id');
      if (!(await deps.outbox.retry(id, deps.clock.now())))
        throw new ApiError('NOT_FOUND', 'No dead letter has this id.');
      deps.onQueued(c);
      deps.log('info', 'dead letter retried', { id });
      return c.json({ id, status: 'pending' });
    },
  );

  app.post(
    '/outbox/erase',
    describeRoute({
      summary:
        'Erase one person\'s data: {"email"}. Queued and dead submissions are deleted, delivered ones emptied',
    }),
    async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as { email?: unknown } | undefined;
      const email = typeof body?.email === 'string' ? body.email.trim() : '';
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ApiError('BAD_REQUEST', 'Send {"email": "…"}.');
      const { deleted, purged, busy } = await deps.outbox.erase(email, deps.clock.now());
      deps.log('info', 'outbox erasure', {
        deleted: deleted.length,
        emptied: purged.length,
        busy: busy.length,
      });
      return c.json({
        deleted: deleted.map((r) => r.id),
        emptied: purged.map((r) => ({ id: r.id, caseNumber: r.case_number })),
        beingDelivered: busy.map((r) => r.id),
      });
    },
  );
  return app;
}
