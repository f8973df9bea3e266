/**
 * Builds everything the Node entry serves: the API (createApp) with its real dependencies and, with
 * no Deskie account configured, the built-in Deskie simulator at /_deskie plus the demo page.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { deskieAccount, type Env, parseEnv, usesRealDeskie } from '../config/env';
import { loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { systemClock } from '../core/clock';
import { createLogger, type Logger } from '../core/log';
import { createSigner } from '../core/tokens';
import { openPostgresOutbox } from '../db/postgres';
import { openSqliteOutbox } from '../db/sqlite';
import { createApp } from '../http/app';
import type { LimiterName } from '../http/deps';
import { createGovernor } from '../rate/governor';
import { createSharedGovernor } from '../rate/shared-governor';
import { createSharedLimiterStore } from '../rate/shared-limiter';
import { createSimulator } from '../simulator/app';
import { captchaFor, createDelivery, rateOptions } from './backend';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The outbox named by DESKIE_FORM_DATABASE, the rate governor and the per-address limits that go
 * with it: with PostgreSQL, instances share all three; with a SQLite file, they are this process's.
 */
async function openDelivery(target: string, config: Config, log: Logger) {
  const rate = rateOptions(config, log);
  if (/^postgres(ql)?:\/\//.test(target)) {
    const { store, db } = await openPostgresOutbox(target);
    return {
      outbox: store,
      governor: createSharedGovernor(db, rate),
      limiterStore: (name: LimiterName) => createSharedLimiterStore(db, 'postgres', name, systemClock),
    };
  }
  return { outbox: await openSqliteOutbox(target), governor: createGovernor(rate), limiterStore: undefined };
}

export interface Running {
  url: string;
  /** True when the built-in simulator stands in for Deskie. */
  demo: boolean;
  server: ServerType;
  close(): Promise<void>;
}

/** Starts the backend on Node; throws ConfigError for a bad environment or config. */
export async function startNodeServer(rawEnv: Record<string, string | undefined>): Promise<Running> {
  const env: Env = parseEnv(rawEnv);
  const config = await loadConfig(env.DESKIE_FORM_CONFIG ?? here('../config/demo.json'));
  const demo = !usesRealDeskie(env);
  const captcha = captchaFor(config, env.CAPTCHA_SECRET);

  // Listen first: the demo's simulator shares the port, which is known only once listening (PORT=0).
  let handle: (request: Request, bindings: never) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve(
      {
        fetch: (request, bindings) => handle(request, bindings as never),
        port: env.PORT,
        hostname: env.HOST,
      },
      () => resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;

  const root = new Hono();
  const log = createLogger();
  if (demo) {
    const sim = createSimulator({
      plan: config.deskie.plan,
      agents: config.deskie.agents,
      rpm: config.deskie.rpm,
    });
    root.route('/_deskie', sim.app);
    root.get('/', serveStatic({ path: here('../../public/index.html') }));
    root.get(
      '/demo/*',
      serveStatic({ root: here('../../public'), rewriteRequestPath: (p) => p.replace(/^\/demo/, '') }),
    );
  }
  const { outbox, governor, limiterStore } = await openDelivery(env.DESKIE_FORM_DATABASE, config, log);
  const instanceId = `${hostname()}-${process.pid}-${crypto.randomUUID().slice(0, 6)}`;
  const { deskie, drainer, leaseMs } = createDelivery({
    config,
    account: demo
      ? { baseUrl: `http://127.0.0.1:${port}/_deskie`, staffEmail: 'demo@example.com', apiKey: 'demo-key' }
      : deskieAccount(env),
    outbox,
    governor,
    log,
    owner: instanceId,
  });
  const recovered = await outbox.recover();
  // Without a configured secret (the demo), tokens last as long as the process — as do its cases.
  const secret =
    env.DESKIE_FORM_SECRET ??
    [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const app = createApp({
    config,
    deskie,
    governor,
    outbox,
    instanceId,
    leaseMs,
    onQueued: () => drainer.wake(),
    adminToken: env.ADMIN_TOKEN,
    signer: createSigner(secret),
    log,
    captcha,
    clientIp: (c) => getConnInfo(c).remote.address,
    widgetAsset: (path) => readFile(here(`../../dist/${path}`)).catch(() => undefined),
    ...(limiterStore ? { limiterStore } : {}),
  });
  root.route('/', app);
  handle = root.fetch;
  // What a crashed run left mid-delivery is marked uncertain: the drainer reconciles before resending.
  if (recovered > 0) log('warn', 'outbox leases of a previous run recovered', { recovered });
  drainer.start();

  return {
    url: `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`,
    demo,
    server,
    async close() {
      // Stop accepting requests and starting deliveries; let those in progress (fast paths
      // included) finish; then hand back whatever this instance still holds and close the outbox.
      const closed = new Promise<void>((done) => server.close(() => done()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      const stopped = drainer.stop({ release: false });
      await closed;
      await stopped;
      const released = await outbox.release(instanceId);
      if (released > 0) log('info', 'outbox leases released', { released });
      await outbox.close();
    },
  };
}
