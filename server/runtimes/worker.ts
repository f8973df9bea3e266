/**
 * Cloudflare Workers entry: `fetch` answers the API, `scheduled` is the Cron Trigger's drain. One
 * backend per isolate, built on its first event from the bindings (see worker-runtime.ts).
 */
import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types/index.ts';
import { ConfigError } from '../config/schema';
import { ApiError } from '../core/errors';
import { createLogger } from '../core/log';
import { createWorkerBackend, type WorkerBackend, type WorkerEnv } from './worker-backend';

let backend: Promise<WorkerBackend> | undefined;
/** The isolate's backend; a failed start is not kept, so the next event tries again. */
const ready = (env: WorkerEnv) =>
  (backend ??= createWorkerBackend(env).catch((error: unknown) => {
    backend = undefined;
    throw error;
  }));

/** Why the backend could not start, for the owner: each problem by name, never a value. */
const logStartFailure = (error: unknown) =>
  createLogger()('error', error instanceof ConfigError ? 'worker misconfigured' : 'worker start failed', {
    problems: error instanceof ConfigError ? error.problems : [String(error)],
  });

/** What a visitor hears when the backend cannot start; the owner reads why in the Worker's logs. */
function notStarted(error: unknown): Response {
  logStartFailure(error);
  const answer =
    error instanceof ConfigError
      ? new ApiError('INTERNAL_ERROR', 'This form is not set up correctly. Please try again later.')
      : new ApiError('NOT_READY', 'The form is starting. Please try again in a moment.', { retryAfter: 5 });
  return Response.json(answer.toJSON(), {
    status: answer.status,
    headers: answer.retryAfter ? { 'Retry-After': String(answer.retryAfter) } : {},
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let started: WorkerBackend;
    try {
      started = await ready(env);
    } catch (error) {
      return notStarted(error);
    }
    return started.app.fetch(request, env, ctx as never);
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(
      ready(env).then(
        (started) => started.scheduled(),
        (error: unknown) => logStartFailure(error),
      ),
    );
  },
};
