/**
 * The backend as a Cloudflare Worker: the same backend, config and env checks as on Node, with
 * D1 as the outbox (its files in R2), the rate budget and the per-address limits shared through D1
 * by every isolate, delivery at once when Deskie's budget allows (else right after the answer,
 * within the request's waitUntil), and a Cron Trigger that drains what is left.
 */
import type { D1Database, R2Bucket } from '@cloudflare/workers-types/index.ts';
import { parseEnv, usesRealDeskie } from '../config/env';
import { ConfigError, gatherProblems, parseConfig } from '../config/schema';
import { randomHex } from '../core/hash';
import { createLogger } from '../core/log';
import { openD1 } from '../db/d1';
import { createR2Vault } from '../outbox/r2';
import { createBackend, drainWithin, partsFromEnv, storageIn } from './backend';

/** The Worker's bindings (wrangler.jsonc) and secrets (`wrangler secret put`). */
export interface WorkerEnv {
  DB?: D1Database;
  FILES?: R2Bucket;
  /**
   * The config itself — a JSON object in wrangler.jsonc's vars or its text — checked like Node's
   * file. Vars hold at most 5 KB, so `npm run deploy:workers` builds the config into the Worker
   * instead; this variable, when set, wins.
   */
  DESKIE_FORM_CONFIG?: unknown;
  DESKIE_URL?: string;
  DESKIE_STAFF_EMAIL?: string;
  DESKIE_API_KEY?: string;
  DESKIE_FORM_SECRET?: string;
  CAPTCHA_SECRET?: string;
  CAPTCHA_VERIFY_URL?: string;
  ADMIN_TOKEN?: string;
  DESKIE_FORM_NOTIFY_SECRET?: string;
}

/** How long a request may go on draining after its answer (Workers allow 30 s of waitUntil). */
export const AFTER_ANSWER_MS = 25_000;
/** How long one Cron Trigger run drains; runs come every minute and may overlap safely. */
export const SCHEDULED_MS = 50_000;

const STRING_VARS = [
  'DESKIE_URL',
  'DESKIE_STAFF_EMAIL',
  'DESKIE_API_KEY',
  'DESKIE_FORM_SECRET',
  'CAPTCHA_SECRET',
  'CAPTCHA_VERIFY_URL',
  'ADMIN_TOKEN',
  'DESKIE_FORM_NOTIFY_SECRET',
] as const;

/** The config text `wrangler deploy --define` built in (esbuild replaces the name); else absent. */
declare const __DESKIE_FORM_CONFIG__: string | undefined;
const builtIn = typeof __DESKIE_FORM_CONFIG__ === 'string' ? __DESKIE_FORM_CONFIG__ : undefined;

/** The config from the binding or the build: an object as is, a string as JSON; problems name the key. */
function configOf(raw: unknown) {
  if (raw === undefined || raw === '')
    throw new ConfigError([
      'DESKIE_FORM_CONFIG: a Worker needs its config (deploy with npm run deploy:workers, or set this variable to the JSON)',
    ]);
  if (typeof raw !== 'string') return parseConfig(raw);
  try {
    return parseConfig(JSON.parse(raw));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([`DESKIE_FORM_CONFIG: not valid JSON (${(error as Error).message})`]);
  }
}

/** Builds the backend of one isolate from its bindings; throws ConfigError on bad ones. */
export async function createWorkerBackend(bindings: WorkerEnv) {
  const { problems, check } = gatherProblems();
  const strings: Record<string, string | undefined> = {};
  for (const name of STRING_VARS) {
    const value = bindings[name];
    if (value !== undefined && typeof value !== 'string') problems.push(`${name}: must be a string`);
    else strings[name] = value;
  }
  const env = check(() => parseEnv(strings));
  if (env && !usesRealDeskie(env))
    problems.push(
      'DESKIE_URL: a Worker needs a Deskie account (DESKIE_URL, DESKIE_STAFF_EMAIL, DESKIE_API_KEY)',
    );
  if (!bindings.DB) problems.push('DB: bind a D1 database (d1_databases in wrangler.jsonc)');
  if (!bindings.FILES) problems.push('FILES: bind an R2 bucket (r2_buckets in wrangler.jsonc)');
  const config = check(() => configOf(bindings.DESKIE_FORM_CONFIG ?? builtIn));
  const fromEnv = config && env ? check(() => partsFromEnv(env, config)) : undefined;
  if (problems.length > 0 || !fromEnv || !config || !bindings.DB || !bindings.FILES)
    throw new ConfigError(problems);

  const log = createLogger();
  const storage = storageIn(await openD1(bindings.DB), config, log, createR2Vault(bindings.FILES));
  // Leases are not handed back after a drain: one isolate serves many requests at once under one
  // owner name, and a drain ends only between deliveries, so it holds none when it returns.
  const drain = async (ms: number, why: string) => {
    const delivered = await drainWithin(drainer, ms);
    if (delivered > 0) log('info', 'outbox drained', { delivered, why });
    return delivered;
  };
  let afterAnswer: Promise<number> | undefined;
  const { app, drainer, notifier, purge } = createBackend({
    ...fromEnv,
    config,
    storage,
    log,
    instanceId: `worker-${randomHex(4)}`,
    // Isolates come and go: each delivers one submission at a time.
    concurrency: 1,
    // The runtime encodes bodies itself, by their Content-Encoding; Cloudflare compresses answers.
    compressJson: false,
    clientIp: (c) => c.req.header('cf-connecting-ip'),
    // One drain after answers per isolate at a time: it takes every due submission, oldest first,
    // so a later request only extends its life instead of starting another that would wait in line.
    onQueued: (c) => {
      afterAnswer ??= drain(AFTER_ANSWER_MS, 'after answer').finally(() => {
        afterAnswer = undefined;
      });
      c.executionCtx.waitUntil(afterAnswer);
    },
  });

  return {
    app,
    /**
     * The Cron Trigger's run: what is due, then the notices the owner's webhook is owed (in time
     * kept for one slow answer), then what retention says is past its time.
     */
    async scheduled(ms = SCHEDULED_MS) {
      const notifyMs = fromEnv.notify ? fromEnv.notify.timeoutMs + 2_000 : 0;
      const delivered = await drain(ms - notifyMs, 'scheduled');
      const notified = (await notifier?.sendDue(AbortSignal.timeout(notifyMs))) ?? 0;
      return { delivered, notified, purged: await purge() };
    },
    log,
  };
}

export type WorkerBackend = Awaited<ReturnType<typeof createWorkerBackend>>;
