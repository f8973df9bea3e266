/**
 * The backend as an AWS Lambda function: the same createApp, config and env as on Node, with
 * PostgreSQL as the outbox (a Lambda has no disk that outlives it), the rate budget and the
 * per-address limits shared through it, delivery at once when Deskie's budget allows, and a
 * scheduled handler that drains what is left.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from 'hono/aws-lambda';
import { createApp } from './app';
import { systemClock } from './clock';
import { ConfigError } from './config';
import { loadConfig } from './config-file';
import { openPostgresOutbox } from './delivery/postgres';
import { createSharedGovernor } from './delivery/shared-governor';
import { createSharedLimiterStore } from './delivery/shared-limiter';
import { deskieAccount, parseEnv, usesRealDeskie } from './env';
import { createLogger } from './log';
import { createDelivery, rateOptions } from './runtime';
import { createSigner } from './tokens';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Time kept back from the scheduled drain for handing leases back before Lambda stops it. */
const DRAIN_MARGIN_MS = 10_000;

/** Builds the backend of one Lambda container from its environment; throws ConfigError on a bad one. */
export async function createLambdaBackend(rawEnv: Record<string, string | undefined>) {
  const env = parseEnv(rawEnv);
  const problems: string[] = [];
  if (!usesRealDeskie(env))
    problems.push(
      'DESKIE_URL: a Lambda needs a Deskie account (DESKIE_URL, DESKIE_STAFF_EMAIL, DESKIE_API_KEY)',
    );
  if (!/^postgres(ql)?:\/\//.test(rawEnv.DESKIE_FORM_DATABASE ?? ''))
    problems.push('DESKIE_FORM_DATABASE: a Lambda needs a postgres:// URL (its disk does not outlive it)');
  if (!env.DESKIE_FORM_CONFIG) problems.push('DESKIE_FORM_CONFIG: the path of the config file in the bundle');
  if (problems.length > 0) throw new ConfigError(problems);

  const config = await loadConfig(env.DESKIE_FORM_CONFIG ?? '');
  const log = createLogger();
  // A Lambda serves one request at a time: a small pool per container.
  const { store: outbox, db } = await openPostgresOutbox(env.DESKIE_FORM_DATABASE, 2);
  const governor = createSharedGovernor(db, rateOptions(config, log));
  const instanceId = `lambda-${rawEnv.AWS_LAMBDA_LOG_STREAM_NAME ?? crypto.randomUUID()}`;
  const { deskie, drainer, leaseMs } = createDelivery({
    config,
    account: deskieAccount(env),
    outbox,
    governor,
    log,
    owner: instanceId,
    concurrency: 1,
  });
  const app = createApp({
    config,
    deskie,
    governor,
    outbox,
    instanceId,
    leaseMs,
    adminToken: env.ADMIN_TOKEN,
    signer: createSigner(env.DESKIE_FORM_SECRET ?? ''),
    log,
    clientIp: (c) => getConnInfo(c).remote.address,
    limiterStore: (name) => createSharedLimiterStore(db, name, systemClock),
    widgetAsset: (path) => readFile(here(`../dist/${path}`)).catch(() => undefined),
  });

  return {
    app,
    /**
     * The scheduled drain (EventBridge, every minute): delivers what is due, oldest first, at
     * Deskie's pace, and stops in time to hand its leases back before the function's deadline.
     */
    async drain(remainingMs: number): Promise<number> {
      let delivered = 0;
      // The container lives on for the next run: end this one with a signal, not by stopping the drainer.
      const deadline = AbortSignal.timeout(Math.max(1_000, remainingMs - DRAIN_MARGIN_MS));
      try {
        delivered = await drainer.drainDue(deadline);
      } catch (error) {
        // Out of time while waiting for budget: what is left waits for the next run.
        if (!deadline.aborted) throw error;
      } finally {
        await outbox.release(instanceId);
      }
      if (delivered > 0) log('info', 'scheduled drain', { delivered });
      return delivered;
    },
    close: () => outbox.close(),
  };
}

export type LambdaBackend = Awaited<ReturnType<typeof createLambdaBackend>>;
