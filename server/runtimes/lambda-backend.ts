/**
 * The backend as an AWS Lambda function: the same backend, config and env as on Node, with
 * PostgreSQL as the outbox (a Lambda has no disk that outlives it), the rate budget and the
 * per-address limits shared through it, delivery at once when Deskie's budget allows, and a
 * scheduled handler that drains what is left.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { getConnInfo } from 'hono/aws-lambda';
import { isPostgresUrl, parseEnv, usesRealDeskie } from '../config/env';
import { loadConfig } from '../config/load';
import { ConfigError } from '../config/schema';
import { createLogger } from '../core/log';
import { openPostgres } from '../db/postgres';
import { createBackend, drainWithin, partsFromEnv, storageIn } from './backend';
import { nodeDigests } from './node-digests';
import { nodeFetch } from './node-fetch';

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
  if (!isPostgresUrl(rawEnv.DESKIE_FORM_DATABASE ?? ''))
    problems.push('DESKIE_FORM_DATABASE: a Lambda needs a postgres:// URL (its disk does not outlive it)');
  if (!env.DESKIE_FORM_CONFIG) problems.push('DESKIE_FORM_CONFIG: the path of the config file in the bundle');
  if (problems.length > 0) throw new ConfigError(problems);

  const config = await loadConfig(env.DESKIE_FORM_CONFIG ?? '');
  // Before connecting anywhere: a captcha form without its secret is a config mistake.
  const fromEnv = partsFromEnv(env, config);
  const log = createLogger();
  // A Lambda serves one request at a time: a small pool per container.
  const storage = storageIn(await openPostgres(env.DESKIE_FORM_DATABASE, 2), config, log);
  const { outbox } = storage;
  const instanceId = `lambda-${rawEnv.AWS_LAMBDA_LOG_STREAM_NAME ?? crypto.randomUUID()}`;
  const { app, drainer, notifier, purge } = createBackend({
    gzip: (text) => gzipSync(text),
    digests: nodeDigests,
    deskie: { fetch: nodeFetch },
    ...fromEnv,
    config,
    storage,
    log,
    instanceId,
    // Instances come and go: each delivers one submission at a time.
    concurrency: 1,
    clientIp: (c) => getConnInfo(c).remote.address,
    widgetAsset: (path) => readFile(here(`../../dist/${path}`)).catch(() => undefined),
  });

  return {
    app,
    /**
     * The scheduled drain (EventBridge, every minute): delivers what is due, oldest first, at
     * Deskie's pace, stops in time to hand its leases back before the function's deadline, tells
     * the owner's webhook of dead letters, and purges what retention says is past its time.
     */
    async drain(remainingMs: number): Promise<{ delivered: number; notified: number; purged: number }> {
      try {
        // Time kept after the drain for the owner's webhook: one answer as slow as it may be.
        const notifyMs = fromEnv.notify ? fromEnv.notify.timeoutMs + 2_000 : 0;
        // The container lives on for the next run: end this one with a deadline, not by stopping the drainer.
        const delivered = await drainWithin(drainer, remainingMs - DRAIN_MARGIN_MS - notifyMs);
        if (delivered > 0) log('info', 'scheduled drain', { delivered });
        const notified = (await notifier?.sendDue(AbortSignal.timeout(notifyMs))) ?? 0;
        return { delivered, notified, purged: await purge() };
      } finally {
        await outbox.release(instanceId);
      }
    },
    close: () => outbox.close(),
  };
}

export type LambdaBackend = Awaited<ReturnType<typeof createLambdaBackend>>;
