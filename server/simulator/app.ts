/**
 * A Deskie API simulator that behaves like the documented API (deskie-api.md): Basic auth, the
 * endpoints the product uses, Deskie's JSON shapes and error bodies, per-plan rate limits with the
 * three headers, and fault injection. It backs `npm start` (no account needed) and every test.
 */

import { Hono, type MiddlewareHandler } from 'hono';
import { type Clock, createSeededRandom, type Random, systemClock } from '../core/clock';
import { planRpm } from '../deskie/rate';
import { consoleRoutes } from './console';
import { deskieError, type SimEnv } from './env';
import { type FaultSettings, faultPatch, noFaults } from './faults';
import { callCost, createWindowLimiter } from './rate-limit';
import { accountRoutes } from './routes-account';
import { caseRoutes } from './routes-cases';
import { demoSeed } from './seed';
import { createSimState, type SimSeed } from './state';

export interface SimulatorOptions {
  /** The staff email accepted as the Basic-auth user. Default `demo@example.com`. */
  staffEmail?: string;
  /** The API key accepted as the Basic-auth password. Default `demo-key`. */
  apiKey?: string;
  /** The plan whose limit applies. Default `basic`. */
  plan?: 'basic' | 'standard' | 'pro';
  /** Enabled agents, which set the plan's limit. Default 10 (Basic → 50 RPM). */
  agents?: number;
  /** Overrides the plan's requests per window. */
  rpm?: number;
  /** Length of the rate window in ms. Default 60 000 (Deskie's minute). */
  windowMs?: number;
  /** The account's settings. Default `demoSeed(staffEmail)`. */
  seed?: SimSeed;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: a generator seeded with 1, so case numbers repeat from run to run. */
  random?: Random;
}

/** Creates a simulator: its Hono app plus handles to its state, limiter and faults. */
export function createSimulator(options: SimulatorOptions = {}) {
  const staffEmail = options.staffEmail ?? 'demo@example.com';
  const apiKey = options.apiKey ?? 'demo-key';
  const clock = options.clock ?? systemClock;
  const random = options.random ?? createSeededRandom(1);
  const state = createSimState(options.seed ?? demoSeed(staffEmail), clock, random);
  const rpm = options.rpm ?? planRpm(options.plan ?? 'basic', options.agents ?? 10);
  const limiter = createWindowLimiter({ rpm, windowMs: options.windowMs, clock });
  let faults = noFaults();
  const stats = { requests: 0, throttled: 0 };
  const chance = (rate: number) => rate > 0 && random() < rate;

  const authenticate: MiddlewareHandler<SimEnv> = async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const decoded = header.startsWith('Basic ')
      ? Buffer.from(header.slice(6), 'base64').toString('utf8')
      : '';
    const colon = decoded.indexOf(':');
    const email = colon < 0 ? '' : decoded.slice(0, colon);
    // A production script maps 401 to a wrong key and 403 to a wrong staff email (deskie-api.md §7).
    if (colon < 0 || decoded.slice(colon + 1) !== apiKey) return deskieError(c, 'wrong_api_key', 401);
    const staff = state.seed.staff.find(
      (s) => s.staff_email.toLowerCase() === email.toLowerCase() && s.active,
    );
    if (!staff) return deskieError(c, 'wrong_staff_email', 403);
    c.set('state', state);
    c.set('staffId', staff.staff_id);
    await next();
  };

  const governed: MiddlewareHandler<SimEnv> = async (c, next) => {
    stats.requests += 1;
    const gone = c.req.raw.signal;
    if (faults.latencyMs > 0) await clock.sleep(faults.latencyMs, gone);
    if (chance(faults.hangRate)) await clock.sleep(600_000, gone);
    // The client gave up while we waited: like Deskie, do nothing more for it.
    if (gone.aborted) return deskieError(c, 'timeout', 504);
    const forced = faults.forced429 > 0;
    if (forced) faults.forced429 -= 1;
    const verdict = limiter.charge(callCost(c.req.method), forced);
    if (!verdict.allowed) {
      stats.throttled += 1;
      return c.json({ error: 'rate_limit_exceeded' }, 429, verdict.headers);
    }
    const fail = faults.failNext > 0 || chance(faults.errorRate);
    if (faults.failNext > 0) faults.failNext -= 1;
    if (fail) return c.json({ error: 'service_unavailable' }, 503, verdict.headers);
    await next();
    for (const [name, value] of Object.entries(limiter.peek())) c.res.headers.set(name, value);
    if (c.req.method !== 'GET' && c.res.ok && chance(faults.dropAfterCommitRate)) {
      // The write is done; the client never hears of it. Without a socket (app.request), the
      // body fails instead, which a client sees the same way.
      const socket = c.env?.incoming?.socket;
      if (socket) socket.destroy();
      else
        c.res = new Response(
          new ReadableStream({ start: (ctl) => ctl.error(new Error('connection dropped by the simulator')) }),
          { status: c.res.status },
        );
    }
  };

  const api = new Hono<SimEnv>();
  api.use(authenticate, governed);
  api.route('/', caseRoutes);
  api.route('/', accountRoutes);

  const control = new Hono<SimEnv>();
  control.use(authenticate);
  control.get('/faults', (c) => c.json(faults));
  control.put('/faults', async (c) => {
    const parsed = faultPatch.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return deskieError(c, 'incorrect_data');
    faults = { ...faults, ...parsed.data };
    return c.json(faults);
  });
  control.post('/reset', (c) => {
    state.reset();
    faults = noFaults();
    return c.json({ ok: true });
  });

  const app = new Hono<SimEnv>();
  app.route('/api', api);
  app.route('/_sim', control);
  app.route('/console', consoleRoutes(state));
  app.get('/files/:id/:name', (c) => {
    const file = state.files.get(Number(c.req.param('id')));
    if (!file) return deskieError(c, 'file_not_found', 404);
    return c.body(file.data.slice().buffer, 200, { 'content-type': file.mime_type });
  });
  app.notFound((c) => deskieError(c, 'not_found', 404));
  app.onError((err, c) => {
    console.error('[simulator]', err);
    return deskieError(c, 'internal_error', 500);
  });

  return {
    app,
    state,
    limiter,
    /** API requests that passed authentication, and how many of them were answered 429. */
    stats,
    /** The current fault settings (a copy). */
    get faults() {
      return { ...faults };
    },
    /** Changes some fault settings; the rest stay. */
    setFaults(next: Partial<FaultSettings>) {
      faults = { ...faults, ...faultPatch.parse(next) };
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
