/**
 * A Deskie API simulator that behaves like the documented API (deskie-api.md): Basic auth, the
 * endpoints the product uses, Deskie's JSON shapes and error bodies, per-plan rate limits with the
 * three headers, and fault injection. It backs `npm start` (no account needed) and every test.
 */

import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { type Clock, createSeededRandom, type Random, systemClock } from '../core/clock';
import { sameText } from '../core/tokens';
import { planRpm } from '../deskie/rate';
import { consoleRoutes } from './console';
import { deskieError, type SimEnv } from './env';
import { createFaults, type FaultSettings, type Faults, faultPatch, noFaults } from './faults';
import { callCost, createWindowLimiter, type WindowLimiter } from './rate-limit';
import { accountRoutes } from './routes-account';
import { caseRoutes } from './routes-cases';
import { demoSeed } from './seed';
import { createSimState, type SimSeed, type SimState } from './state';

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

/** Deskie's Basic auth: the API key as the password, an active staff member's email as the user. */
function authenticate(state: SimState, apiKey: string): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
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
}

/** API requests that passed authentication: how many were answered 429, struck by a fault, hang now. */
export interface SimStats {
  requests: number;
  throttled: number;
  /** Requests an injected fault struck: a forced 429, a 503, a hang, a dropped answer. */
  faulted: number;
  /** Requests a hang keeps unanswered right now (until their client gives up). */
  hanging: number;
}

interface Governance {
  faults: Faults;
  limiter: WindowLimiter;
  stats: SimStats;
  clock: Clock;
  random: Random;
}

/**
 * Around every API request: the faults that strike before it is handled (hold, delay, hang, 429, 503)
 * and after (a dropped connection), and the plan's limit with Deskie's three headers.
 */
function governed({ faults, limiter, stats, clock, random }: Governance): MiddlewareHandler<SimEnv> {
  const chance = (rate: number) => rate > 0 && random() < rate;
  return async (c, next) => {
    stats.requests += 1;
    const gone = c.req.raw.signal;
    await faults.hold(gone);
    if (faults.settings.latencyMs > 0) await clock.sleep(faults.settings.latencyMs, gone);
    if (chance(faults.settings.hangRate)) {
      stats.faulted += 1;
      stats.hanging += 1;
      await clock.sleep(600_000, gone);
      stats.hanging -= 1;
    }
    // The client gave up while we waited: like Deskie, do nothing more for it.
    if (gone.aborted) return deskieError(c, 'timeout', 504);
    const forced = faults.take('forced429');
    const verdict = limiter.charge(callCost(c.req.method), forced);
    if (!verdict.allowed) {
      stats.throttled += 1;
      if (forced) stats.faulted += 1;
      return c.json({ error: 'rate_limit_exceeded' }, 429, verdict.headers);
    }
    if (faults.take('failNext') || chance(faults.settings.errorRate)) {
      stats.faulted += 1;
      return c.json({ error: 'service_unavailable' }, 503, verdict.headers);
    }
    await next();
    for (const [name, value] of Object.entries(limiter.peek())) c.res.headers.set(name, value);
    if (c.req.method !== 'GET' && c.res.ok && chance(faults.settings.dropAfterCommitRate)) {
      stats.faulted += 1;
      dropAnswer(c);
    }
  };
}

/** The write is done; the client never hears of it. */
function dropAnswer(c: Context<SimEnv>) {
  const socket = c.env?.incoming?.socket;
  if (socket) socket.destroy();
  // Without a socket (app.request), the body fails instead, which a client sees the same way.
  else
    c.res = new Response(
      new ReadableStream({ start: (ctl) => ctl.error(new Error('connection dropped by the simulator')) }),
      { status: c.res.status },
    );
}

/** `/_sim`, for tests and demos: read and change the faults, read the stats, or forget every case. */
function controlRoutes(auth: MiddlewareHandler<SimEnv>, state: SimState, faults: Faults, stats: SimStats) {
  const control = new Hono<SimEnv>();
  control.use(auth);
  control.get('/faults', (c) => c.json(faults.settings));
  // What a test waits for instead of sleeping: requests arrived, struck by a fault, hanging, held.
  control.get('/stats', (c) => c.json({ ...stats, held: faults.held }));
  control.put('/faults', async (c) => {
    const parsed = faultPatch.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return deskieError(c, 'incorrect_data');
    faults.set(parsed.data);
    return c.json(faults.settings);
  });
  control.post('/reset', (c) => {
    state.reset();
    faults.set(noFaults());
    return c.json({ ok: true });
  });
  return control;
}

/** Creates a simulator: its Hono app plus handles to its state, limiter and faults. */
export function createSimulator(options: SimulatorOptions = {}) {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? createSeededRandom(1);
  const seed = options.seed ?? demoSeed(options.staffEmail ?? 'demo@example.com');
  const state = createSimState(seed, clock, random);
  const rpm = options.rpm ?? planRpm(options.plan ?? 'basic', options.agents ?? 10);
  const limiter = createWindowLimiter({ rpm, windowMs: options.windowMs, clock });
  const faults = createFaults();
  const stats: SimStats = { requests: 0, throttled: 0, faulted: 0, hanging: 0 };
  const auth = authenticate(state, options.apiKey ?? 'demo-key');

  const api = new Hono<SimEnv>();
  api.use(auth, governed({ faults, limiter, stats, clock, random }));
  api.route('/', caseRoutes);
  api.route('/', accountRoutes);

  const app = new Hono<SimEnv>();
  app.route('/api', api);
  app.route('/_sim', controlRoutes(auth, state, faults, stats));
  app.route('/console', consoleRoutes(state));
  // A file opens only with its key (format.ts fileUrl). It is downloaded, never shown as a page of
  // this origin: what a visitor sent is not trusted to run beside the console.
  app.get('/files/:id/:key/:name', (c) => {
    const file = state.files.get(Number(c.req.param('id')));
    if (!file || !sameText(file.key, c.req.param('key'))) return deskieError(c, 'file_not_found', 404);
    return c.body(file.data.slice().buffer, 200, {
      'content-type': file.mime_type,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
      'x-content-type-options': 'nosniff',
    });
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
    /** API requests that passed authentication: how many were answered 429, struck by a fault, hang now. */
    stats,
    /** The current fault settings (a copy). */
    get faults() {
      return faults.settings;
    },
    /** API requests the `hold` fault keeps waiting right now. */
    get held() {
      return faults.held;
    },
    /** Changes some fault settings; the rest stay. */
    setFaults(next: Partial<FaultSettings>) {
      faults.set(faultPatch.parse(next));
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
