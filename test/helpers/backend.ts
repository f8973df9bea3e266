import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Config, parseConfig } from '../../server/config/schema';
import type { Clock } from '../../server/core/clock';
import { systemClock } from '../../server/core/clock';
import { createLogger } from '../../server/core/log';
import type { Database } from '../../server/db/schema';
import { openSqlite } from '../../server/db/sqlite';
import { createGovernor } from '../../server/rate/governor';
import { type BackendParts, createBackend, storageIn } from '../../server/runtimes/backend';
import { startSimulator } from './serve';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const DEMO_CONFIG = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../server/config/demo.json'), 'utf8'),
);

/** A clock whose time only moves when a test says so (sleep still waits for real). */
export function manualClock(
  start = Date.UTC(2026, 10, 28, 12),
): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: systemClock.sleep,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}

/**
 * A manual clock whose sleeps also wait for the test: one ends only when `advance`/`set` moves time
 * to its end (or its signal aborts). `nextWake` says when the earliest one ends, so a test can step
 * from one wake-up to the next, as a fast machine would, without waiting for real.
 */
export function steppedClock(start?: number) {
  const clock = manualClock(start);
  const sleepers = new Set<{ until: number; wake: () => void }>();
  const wakeDue = () => {
    for (const s of [...sleepers]) if (s.until <= clock.now()) s.wake();
  };
  return {
    now: clock.now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const sleeper = {
          until: clock.now() + Math.max(0, ms),
          wake: () => {
            sleepers.delete(sleeper);
            signal?.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.add(sleeper);
        signal?.addEventListener('abort', sleeper.wake, { once: true });
        wakeDue();
      }),
    /** Sleeps not over yet. */
    get sleeping() {
      return sleepers.size;
    },
    /** When the earliest sleep not over yet ends; undefined when none is. */
    get nextWake() {
      let next: number | undefined;
      for (const s of sleepers) next = next === undefined ? s.until : Math.min(next, s.until);
      return next;
    },
    advance(ms: number) {
      clock.advance(ms);
      wakeDue();
    },
    set(ms: number) {
      clock.set(ms);
      wakeDue();
    },
  };
}

/**
 * Timeouts that run out when the test says so: give `signal` to a Deskie client as its
 * `timeoutSignal`; `expire()` then times out every attempt started so far, as AbortSignal.timeout
 * would have, and returns how many it ended.
 */
export function manualTimeouts() {
  let started: AbortController[] = [];
  return {
    signal: (_ms: number) => {
      const controller = new AbortController();
      started.push(controller);
      return controller.signal;
    },
    expire() {
      const ending = started;
      started = [];
      for (const c of ending) c.abort(new DOMException('The operation timed out.', 'TimeoutError'));
      return ending.length;
    },
  };
}

export interface BackendOptions {
  /** Changes to the demo config (merged over it at the top level). */
  config?: Record<string, unknown>;
  /** Parts that replace the defaults below. */
  parts?: Partial<BackendParts>;
  /** The database the outbox lives in. Default: a fresh SQLite database in memory. */
  database?: Database;
  /** Deskie's rate budget as the config's plan sets it, for the simulator too. Default: unlimited, so no test waits for it. */
  planBudget?: boolean;
}

/**
 * The backend (createBackend, called with app.request) against a simulator served over HTTP on
 * 127.0.0.1, with a manual clock for the spam timing, limits high enough not to interfere, a
 * drainer that is not started (tests drain on purpose, so they decide when queued work goes out),
 * and every log line kept.
 */
export async function startBackend(options: BackendOptions = {}) {
  const clock = manualClock();
  const logs: string[] = [];
  const config: Config = parseConfig({
    ...DEMO_CONFIG,
    limits: {
      submissions: { limit: 10_000, windowSeconds: 60 },
      lookups: { limit: 10_000, windowSeconds: 60 },
    },
    ...options.config,
  });
  // With the plan's budget, Deskie (the simulator) has that plan too: its headers tell the governor.
  const { plan, agents, rpm } = config.deskie;
  const sim = await startSimulator(options.planBudget ? { plan, agents, rpm } : { rpm: 1_000_000 });
  const log = createLogger((line) => logs.push(line), clock.now);
  const stored = storageIn(options.database ?? (await openSqlite(':memory:')), config, log);
  const storage = options.planBudget ? stored : { ...stored, governor: createGovernor({ rpm: 1_000_000 }) };
  const parts: BackendParts = {
    config,
    account: { baseUrl: sim.url, staffEmail: 'demo@example.com', apiKey: 'demo-key' },
    secret: SECRET,
    storage,
    log,
    instanceId: 'test-web',
    clock,
    random: () => 0.5,
    deskie: { backoffMs: 20 },
    clientIp: (c) => c.req.header('x-test-ip') ?? '127.0.0.1',
    gzip: (text) => gzipSync(text),
    ...options.parts,
  };
  const backend = createBackend(parts);
  const { app, drainer, notifier, deskie, outbox, governor, purge } = backend;
  /** Another app on the same storage, with some parts replaced. */
  const make = (extra: Partial<BackendParts> = {}) => createBackend({ ...parts, ...extra }).app;

  /** GET the form; returns its definition and a token already old enough to pass the fill-time check. */
  const getForm = async (formId = 'support', query = '') => {
    const answer = await app.request(`/v1/forms/${formId}${query}`);
    const body = (await answer.json()) as { form: { fields: { key: string }[] }; formToken: string };
    clock.advance(10_000);
    return { answer, ...body };
  };

  /** POST a JSON submission with a fresh token unless one is given. */
  const submit = async (
    values: Record<string, unknown>,
    init: {
      headers?: Record<string, string>;
      token?: string;
      extra?: Record<string, unknown>;
      formId?: string;
    } = {},
  ) => {
    const formToken = init.token ?? (await getForm(init.formId)).formToken;
    return app.request(`/v1/forms/${init.formId ?? 'support'}/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: JSON.stringify({ formToken, values, ...init.extra }),
    });
  };

  /** POST a status lookup. */
  const lookup = (body: unknown, headers: Record<string, string> = {}, formId = 'support') =>
    app.request(`/v1/forms/${formId}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  return {
    app,
    make,
    parts,
    purge,
    deskie,
    governor,
    outbox,
    drainer,
    notifier,
    sim: sim.sim,
    simUrl: sim.url,
    clock,
    logs,
    config,
    getForm,
    submit,
    lookup,
  };
}

/** Values that pass the demo form. */
export const validValues = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ann Example',
  email: 'ann@example.com',
  subject: 'The parcel never came',
  cf_9: '2',
  cf_5: 'A-1001',
  message: 'Ordered on Monday.\nStill nothing.',
  cf_12: true,
  ...overrides,
});
