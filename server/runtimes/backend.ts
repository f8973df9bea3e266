/**
 * What every runtime (Node, Lambda, Workers) builds alike from the config: the rate governor's
 * settings, the captcha check, the Deskie client and the drainer. Each entry adds only what is its
 * own — the outbox engine, the address of the caller, how the drainer is driven.
 */
import type { Kysely } from 'kysely';
import { deskieAccount, type Env } from '../config/env';
import { type Config, ConfigError } from '../config/schema';
import { systemClock } from '../core/clock';
import type { Logger } from '../core/log';
import { createSigner } from '../core/tokens';
import type { OutboxDatabase } from '../db/schema';
import { createDeskieClient } from '../deskie/client';
import { planRpm, type RateGovernor } from '../deskie/rate';
import { createApp } from '../http/app';
import type { AppDeps } from '../http/deps';
import { createCaptchaVerifier } from '../intake/captcha';
import { createDrainer, type Drainer } from '../outbox/drainer';
import type { OutboxStore } from '../outbox/store';
import type { GovernorEvent } from '../rate/governor';
import { createSharedGovernor } from '../rate/shared-governor';
import { createSharedLimiterStore } from '../rate/shared-limiter';

/** The governor's settings for the account in `config`; its warnings go to `log`. */
export const rateOptions = (config: Config, log: Logger) => ({
  rpm: config.deskie.rpm ?? planRpm(config.deskie.plan, config.deskie.agents),
  share: config.deskie.share,
  windowMs: config.deskie.windowMs,
  onEvent: (event: GovernorEvent) => log('warn', 'deskie rate limit', { ...event }),
});

/** The captcha check the config's forms need, if any; throws ConfigError when its secret is missing. */
export function captchaFor(config: Config, secret: string | undefined) {
  const form = config.forms.find((f) => f.captcha);
  if (!form?.captcha) return undefined;
  if (!secret) throw new ConfigError([`CAPTCHA_SECRET: is required because form "${form.id}" has a captcha`]);
  return createCaptchaVerifier({ provider: form.captcha.provider, secret });
}

/**
 * Delivers what is due, oldest first at Deskie's pace, for at most `ms` (serverless runs end at a
 * deadline). It stops only while waiting for budget, never mid-delivery; what is left stays queued.
 */
export async function drainWithin(drainer: Drainer, ms: number): Promise<number> {
  const deadline = AbortSignal.timeout(Math.max(1_000, ms));
  let delivered = 0;
  try {
    delivered = await drainer.drainDue(deadline);
  } catch (error) {
    // Out of time while waiting for budget: what is left waits for the next run.
    if (!deadline.aborted) throw error;
  }
  return delivered;
}

export interface DeliveryParts {
  config: Config;
  /** Where Deskie is and the credentials (the simulator's in demo mode). */
  account: { baseUrl: string; staffEmail: string; apiKey: string };
  outbox: OutboxStore;
  governor: RateGovernor;
  log: Logger;
  /** This instance's name on outbox leases. */
  owner: string;
  /** Deliveries at once. Default: the config's. */
  concurrency?: number;
}

/** The Deskie client (paced by `governor`) and the drainer of `outbox`. */
export function createDelivery({
  config,
  account,
  outbox,
  governor,
  log,
  owner,
  concurrency,
}: DeliveryParts) {
  const deskie = createDeskieClient({ ...account, timeoutMs: config.deskie.timeoutSeconds * 1000, governor });
  const leaseMs = config.delivery.leaseSeconds * 1000;
  const drainer = createDrainer({
    store: outbox,
    deskie,
    governor,
    clock: systemClock,
    random: Math.random,
    log,
    owner,
    leaseMs,
    concurrency: concurrency ?? config.delivery.concurrency,
  });
  return { deskie, drainer, leaseMs };
}

export interface SharedBackendParts {
  config: Config;
  /** The checked environment: the Deskie account, the signing secret, the admin token. */
  env: Env;
  log: Logger;
  /** The outbox and the database it lives in, which also holds the rate budget and the limits. */
  outbox: OutboxStore;
  db: Kysely<OutboxDatabase>;
  engine: 'postgres' | 'd1';
  /** This instance's name on outbox leases. */
  instanceId: string;
  clientIp: NonNullable<AppDeps['clientIp']>;
  /** Where the app finds the built widget; none where the platform serves it itself (Workers). */
  widgetAsset?: AppDeps['widgetAsset'];
  onQueued?: AppDeps['onQueued'];
}

/**
 * The app of a serverless instance (Lambda, Workers): instances come and go, so the queue, the
 * rate budget and the per-address limits are all kept in the shared database, and each instance
 * delivers one submission at a time.
 */
export function createSharedBackend(parts: SharedBackendParts) {
  const { config, env, log, outbox, db, engine, instanceId } = parts;
  const governor = createSharedGovernor(db, { ...rateOptions(config, log), engine });
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
    captcha: captchaFor(config, env.CAPTCHA_SECRET),
    clientIp: parts.clientIp,
    limiterStore: (name) => createSharedLimiterStore(db, engine, name, systemClock),
    ...(parts.widgetAsset ? { widgetAsset: parts.widgetAsset } : {}),
    ...(parts.onQueued ? { onQueued: parts.onQueued } : {}),
  });
  return { app, drainer };
}
