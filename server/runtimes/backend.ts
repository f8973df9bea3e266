/**
 * The one place the backend is wired. Each runtime (Node, Lambda, Workers) — and every test and
 * benchmark — brings its parts: the config, the Deskie account, the database and what it holds,
 * and its own hooks (the caller's address, the widget's files, what to do when work is queued).
 * From them this builds the Deskie client, the drainer, intake, lookups and the app, once.
 */
import type { Context } from 'hono';
import { deskieAccount, type Env } from '../config/env';
import { type Config, ConfigError } from '../config/schema';
import { type Clock, type Random, systemClock } from '../core/clock';
import { createDecoys } from '../core/decoys';
import { type Digests, webDigests } from '../core/hash';
import { createIdentityVerifier } from '../core/identity';
import type { Logger } from '../core/log';
import { createTokens } from '../core/tokens';
import type { Database } from '../db/schema';
import { createDeskieClient, type DeskieClientOptions } from '../deskie/client';
import { planRpm, type RateGovernor } from '../deskie/rate';
import { createFieldCatalog, createFormResolver } from '../forms/definition';
import { createApp } from '../http/app';
import type { AppDeps } from '../http/deps';
import { type CaptchaVerifier, createCaptchaVerifier } from '../intake/captcha';
import { createIntake, FORM_TOKEN_LIFE_MS } from '../intake/intake';
import { createReplies } from '../intake/reply';
import { createCaseCache } from '../lookup/cache';
import { createLookup } from '../lookup/lookup';
import { createDrainer, type Drainer, type DrainerOptions } from '../outbox/drainer';
import { createNotifier, type NotifierOptions } from '../outbox/notifier';
import { createRetention } from '../outbox/retention';
import { createOutboxStore } from '../outbox/store';
import type { FileVault, OutboxStore } from '../outbox/types';
import { createGovernor, type GovernorEvent } from '../rate/governor';
import { type CounterStores, memoryCounters, readyStore } from '../rate/limits';
import { prepaid } from '../rate/prepaid';
import { createSharedGovernor } from '../rate/shared-governor';
import { createSharedLimiterStore, sweepCounters } from '../rate/shared-limiter';

/** The governor's settings for the account in `config`; its warnings go to `log`. */
export const rateOptions = (config: Config, log: Logger) => ({
  rpm: config.deskie.rpm ?? planRpm(config.deskie.plan, config.deskie.agents),
  share: config.deskie.share,
  lookupShare: config.lookups.budgetShare,
  windowMs: config.deskie.windowMs,
  onEvent: (event: GovernorEvent) => log('warn', 'deskie rate limit', { ...event }),
});

/** The captcha check the config's forms need, if any; throws ConfigError when its secret is missing. */
export function captchaFor(config: Config, secret: string | undefined, url?: string) {
  const form = config.forms.find((f) => f.captcha);
  if (!form?.captcha) return undefined;
  if (!secret) throw new ConfigError([`CAPTCHA_SECRET: is required because form "${form.id}" has a captcha`]);
  return createCaptchaVerifier({ provider: form.captcha.provider, secret, ...(url ? { url } : {}) });
}

/** The webhook the config names for dead letters, if any; throws ConfigError when its secret is missing. */
export function notifyFor(config: Config, secret: string | undefined) {
  if (!config.notify) return undefined;
  // Unsigned notices would let anyone who learns the URL raise false alarms: no secret, no start.
  if (!secret)
    throw new ConfigError([
      'DESKIE_FORM_NOTIFY_SECRET: is required because the config has notify.url (every notice is signed with it)',
    ]);
  return { url: config.notify.url, secret, timeoutMs: config.notify.timeoutSeconds * 1000 };
}

/** The parts the environment gives every runtime: the Deskie account, the secrets, the captcha check, the webhook. */
export const partsFromEnv = (env: Env, config: Config) => ({
  account: deskieAccount(env),
  secret: env.DESKIE_FORM_SECRET ?? '',
  captcha: captchaFor(config, env.CAPTCHA_SECRET, env.CAPTCHA_VERIFY_URL),
  adminToken: env.ADMIN_TOKEN,
  notify: notifyFor(config, env.DESKIE_FORM_NOTIFY_SECRET),
  identitySecret: env.DESKIE_FORM_IDENTITY_SECRET,
});

/** What the database holds for the backend: the outbox, Deskie's rate budget, the API's counters. */
export interface Storage {
  outbox: OutboxStore;
  governor: RateGovernor;
  counters: CounterStores;
  /** Deletes counters whose window has ended (those kept in memory go by themselves). */
  sweep?: (now: number) => Promise<number>;
}

/**
 * The storage in `database`. A SQLite file is one process's: the budget and the counters stay in
 * memory. PostgreSQL and D1 are shared by instances that come and go, so both live in them too.
 */
export function storageIn(database: Database, config: Config, log: Logger, vault?: FileVault): Storage {
  const outbox = createOutboxStore(database, vault);
  const rate = rateOptions(config, log);
  const { db, engine } = database;
  if (engine === 'sqlite') return { outbox, governor: createGovernor(rate), counters: memoryCounters };
  return {
    outbox,
    governor: createSharedGovernor(db, { ...rate, engine }),
    counters: (name) => createSharedLimiterStore(db, engine, name, systemClock),
    sweep: (now) => sweepCounters(db, now),
  };
}

export interface BackendParts {
  config: Config;
  /** Where Deskie is and the credentials (the simulator's in demo mode). */
  account: { baseUrl: string; staffEmail: string; apiKey: string };
  /** Signs form and lookup tokens; at least 32 characters. */
  secret: string;
  /** Checks signed-in customers' identities (at least 32 characters); none are taken without it. */
  identitySecret?: string;
  storage: Storage;
  log: Logger;
  /** This instance's name on outbox leases. */
  instanceId: string;
  /** The caller's address as the runtime sees it; X-Forwarded-For is used instead only with `trustProxy`. */
  clientIp: (c: Context) => string | undefined;
  /** Required when a form has a captcha (see captchaFor). */
  captcha?: CaptchaVerifier;
  adminToken?: string;
  widgetAsset?: AppDeps['widgetAsset'];
  /** Told when a submission is left queued. Default: the drainer stops sleeping. */
  onQueued?: AppDeps['onQueued'];
  /** Deliveries at once. Default: the config's. */
  concurrency?: number;
  /** Whether the app gzips JSON answers itself (see AppDeps). Default true. */
  compressJson?: boolean;
  /** A synchronous gzip where the runtime has one (see AppDeps). */
  gzip?: AppDeps['gzip'];
  /** SHA-256 and HMAC as the runtime does them best (core/hash.ts). Default: @noble/hashes. */
  digests?: Digests;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: Math.random (backoff jitter, bots' fake answers). */
  random?: Random;
  /** Settings of the Deskie client beyond the account (tests shorten its backoff). */
  deskie?: Partial<Omit<DeskieClientOptions, 'governor'>>;
  /** The owner's webhook for dead letters (see notifyFor); none without it. */
  notify?: Omit<NotifierOptions, 'store' | 'clock' | 'log'>;
  /** The drainer's pacing (tests shorten it). */
  drainer?: Partial<Pick<DrainerOptions, 'backoff' | 'pollMs' | 'maxAttempts'>>;
}

/**
 * Deskie for one visitor's lookup: in the lookup lane, its calls' budget (`cost`: the case and its
 * replies, by default) taken whole at the first, a short wait at most, ended when the visitor leaves.
 */
const lookupClients =
  (config: Config, clientOptions: Omit<DeskieClientOptions, 'governor'>, governor: RateGovernor) =>
  (signal: AbortSignal | undefined, cost = 2) => {
    const maxWaitMs = config.lookups.waitSeconds * 1000;
    const budget = prepaid(governor, cost, { lane: 'lookup', maxWaitMs, signal });
    const client = createDeskieClient({
      ...clientOptions,
      governor: budget,
      // The visitor waits: throttling is answered at once (503, when to come back), not retried.
      throttledAttempts: 1,
      ...(signal
        ? { timeoutSignal: (ms: number) => AbortSignal.any([AbortSignal.timeout(ms), signal]) }
        : {}),
    });
    return { client, done: () => budget.done() };
  };

/** The app and the drainer of one instance, from its parts. */
export function createBackend(parts: BackendParts) {
  const { config, storage, log } = parts;
  const { outbox, governor } = storage;
  const clock = parts.clock ?? systemClock;
  const random = parts.random ?? Math.random;
  const clientOptions = { ...parts.account, timeoutMs: config.deskie.timeoutSeconds * 1000, ...parts.deskie };
  const deskie = createDeskieClient({ ...clientOptions, governor });
  const deskieForLookup = lookupClients(config, clientOptions, governor);
  const notifier = parts.notify && createNotifier({ ...parts.notify, store: outbox, clock, log });
  const drainer = createDrainer({
    store: outbox,
    deskie,
    governor,
    clock,
    random,
    log,
    owner: parts.instanceId,
    leaseMs: config.delivery.leaseSeconds * 1000,
    reconcileAfterMs: config.delivery.reconcileAfterSeconds * 1000,
    concurrency: parts.concurrency ?? config.delivery.concurrency,
    notifier,
    ...parts.drainer,
  });
  const digests = parts.digests ?? webDigests;
  const tokens = createTokens(parts.secret, digests);
  const decoys = createDecoys(parts.secret, clock, random);
  const forms = createFormResolver(createFieldCatalog(deskie, config.deskie.fieldCacheSeconds * 1000, clock));
  const identity = parts.identitySecret ? createIdentityVerifier(parts.identitySecret, clock) : undefined;
  const intake = createIntake({
    forms,
    tokens,
    digests,
    clock,
    log,
    captcha: parts.captcha,
    outbox,
    delivery: drainer,
    decoys,
    formTokenUses: readyStore(storage.counters('form-token-uses'), FORM_TOKEN_LIFE_MS),
    identity,
    usesPerFormToken: config.limits.submissionsPerFormToken,
  });
  const failureLimit = config.limits.lookupFailuresPerCase;
  const failures = readyStore(storage.counters('lookup-failures'), failureLimit.windowSeconds * 1000);
  const cache = createCaseCache(config.lookups.cacheSeconds * 1000, clock);
  const lookup = createLookup({
    deskie: deskieForLookup,
    clock,
    identity,
    historyCacheMs: config.lookups.cacheSeconds * 1000,
    cache,
    outbox,
    tokens,
    failures,
    failureLimit,
    decoys,
  });
  const app = createApp({
    config,
    clock,
    log,
    forms,
    tokens,
    intake,
    replies: createReplies({ forms, digests, clock, log, outbox, delivery: drainer }),
    lookup,
    outbox,
    deskie,
    counters: storage.counters,
    clientIp: (c) => forwardedFor(c, Number(config.trustProxy)) ?? parts.clientIp(c),
    onQueued: parts.onQueued ?? (() => drainer.wake()),
    widgetAsset: parts.widgetAsset,
    adminToken: parts.adminToken,
    compressJson: parts.compressJson ?? true,
    gzip: parts.gzip,
  });
  const retention = createRetention({ outbox, clock, log, ...config.retention });
  /** Retention: old payloads and files out of the outbox, ended counters (client addresses) out of the database. */
  const purge = async () => {
    const purged = await retention();
    await storage.sweep?.(clock.now());
    return purged;
  };
  return { app, drainer, notifier, deskie, outbox, governor, purge, forms };
}

export type Backend = ReturnType<typeof createBackend>;

/**
 * The client's address as the nearest of `hops` trusted proxies saw it. Each proxy appends the
 * address it was reached from, so it is read from the right: whatever the client itself wrote
 * into the header stands to the left, and is never taken.
 */
function forwardedFor(c: Context, hops: number): string | undefined {
  if (hops < 1) return undefined;
  const entries =
    c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((e) => e.trim()) ?? [];
  return entries[entries.length - hops] || undefined;
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
