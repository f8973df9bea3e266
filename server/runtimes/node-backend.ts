/**
 * Builds everything the Node entry serves: the backend (runtimes/backend.ts) on the database
 * DESKIE_FORM_DATABASE names and, with no Deskie account configured, the built-in Deskie simulator
 * at /_deskie plus the demo page and its config preview (/demo/preview).
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { type Env, parseEnv, usesRealDeskie } from '../config/env';
import { loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { systemClock } from '../core/clock';
import { ApiError } from '../core/errors';
import { randomHex } from '../core/hash';
import { createLogger } from '../core/log';
import { openNodeDatabase } from '../db/node';
import { createDeskieClient } from '../deskie/client';
import { checkAccountAtStart } from '../forms/account';
import { previewRoutes } from '../http/routes/preview';
import { pageHeaders } from '../http/secure-headers';
import { createSimulator } from '../simulator/app';
import { createBackend, partsFromEnv, storageIn } from './backend';
import { demoIsPublic } from './demo-host';
import { nodeDigests } from './node-digests';
import { nodeFetch } from './node-fetch';
import { guardServer, timeoutOptions } from './node-guard';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const RETENTION_EVERY_MS = 3600_000;

export interface Running {
  url: string;
  /** True when the built-in simulator stands in for Deskie. */
  demo: boolean;
  server: ServerType;
  close(): Promise<void>;
}

/**
 * Listens at once — the demo's simulator shares the port, known only once listening (PORT=0) —
 * with the config's timeouts and per-address connection cap (node-guard.ts).
 */
async function listen(env: Env, config: Config) {
  let handle: (request: Request, bindings: never) => Response | Promise<Response> = () =>
    Response.json(
      new ApiError('NOT_READY', 'Starting. Please try again in a moment.', { retryAfter: 1 }).toJSON(),
      {
        status: 503,
      },
    );
  const { headersSeconds, requestSeconds, connectionsPerAddress } = config.limits;
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve(
      {
        fetch: (request, bindings) => handle(request, bindings as never),
        port: env.PORT,
        hostname: env.HOST,
        serverOptions: timeoutOptions(headersSeconds * 1000, requestSeconds * 1000),
      },
      () => resolve(s),
    );
    // Behind a proxy every connection is the proxy's: the cap would count all visitors as one.
    guardServer(s as Server, {
      connectionsPerAddress: config.trustProxy ? undefined : connectionsPerAddress,
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  return { server, port, serveWith: (app: Hono) => (handle = app.fetch) };
}

/** The demo: the simulator at /_deskie and the demo page, beside the API; pages with the API's headers. */
function mountDemo(root: Hono, config: Config) {
  const { plan, agents, rpm } = config.deskie;
  const headers = pageHeaders();
  for (const path of ['/', '/demo/*', '/_deskie/*']) root.use(path, headers);
  root.route('/_deskie', createSimulator({ plan, agents, rpm }).app);
  root.get('/', serveStatic({ path: here('../../public/index.html') }));
  root.get(
    '/demo/*',
    serveStatic({ root: here('../../public'), rewriteRequestPath: (p) => p.replace(/^\/demo/, '') }),
  );
}

/** Starts the backend on Node; throws ConfigError for a bad environment or config. */
export async function startNodeServer(rawEnv: Record<string, string | undefined>): Promise<Running> {
  const env = parseEnv(rawEnv);
  const config = await loadConfig(env.DESKIE_FORM_CONFIG ?? here('../../server/config/demo.json'));
  const demo = !usesRealDeskie(env);
  // Refused before anything listens or is opened; allowed, it is said in the log.
  const demoPublic = demo && demoIsPublic(env);
  const fromEnv = partsFromEnv(env, config);
  const { server, port, serveWith } = await listen(env, config);
  const root = new Hono();
  // Paths outside the app (and outside the demo) answer like the app does: the one error shape.
  root.notFound((c) => c.json(new ApiError('NOT_FOUND', 'There is nothing at this address.').toJSON(), 404));
  if (demo) mountDemo(root, config);

  const log = createLogger();
  if (demoPublic)
    log('warn', 'the demo is reachable beyond this machine (DESKIE_FORM_DEMO_PUBLIC)', { host: env.HOST });
  const storage = storageIn(await openNodeDatabase(env.DESKIE_FORM_DATABASE), config, log);
  const { outbox } = storage;
  const instanceId = `${hostname()}-${process.pid}-${randomHex(3)}`;
  const account = demo
    ? { baseUrl: `http://127.0.0.1:${port}/_deskie`, staffEmail: 'demo@example.com', apiKey: 'demo-key' }
    : fromEnv.account;
  const { app, drainer, notifier, purge, forms } = createBackend({
    ...fromEnv,
    account,
    // Without a configured secret (the demo), tokens last as long as the process — as do its cases.
    secret: env.DESKIE_FORM_SECRET ?? randomHex(32),
    config,
    storage,
    log,
    instanceId,
    clientIp: (c) => getConnInfo(c).remote.address,
    widgetAsset: (path) => readFile(here(`../../dist/${path}`)).catch(() => undefined),
    gzip: (text) => gzipSync(text),
    digests: nodeDigests,
    deskie: { fetch: nodeFetch },
  });
  // What a crashed run left mid-delivery is marked uncertain: the drainer reconciles before resending.
  const recovered = await outbox.recover(Date.now() + config.delivery.reconcileAfterSeconds * 1000);
  if (recovered > 0) log('warn', 'outbox leases of a previous run recovered', { recovered });
  // On the app, not beside it: its one error handler shapes the preview's errors too.
  if (demo) app.route('/demo/preview', previewRoutes({ config, forms, clock: systemClock }));
  root.route('/', app);
  serveWith(root);
  // Once serving (the demo's simulator answers on this port): a config Deskie would refuse stops here.
  const reader = createDeskieClient({
    ...account,
    governor: storage.governor,
    timeoutMs: 5_000,
    readAttempts: 1,
  });
  const checked = config.deskie.checkAtStart ? checkAccountAtStart(config, reader, log) : Promise.resolve();
  await checked.catch(async (error: unknown) => {
    const closed = new Promise((done) => server.close(done));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    await closed;
    await outbox.close();
    throw error;
  });
  drainer.start();
  // Dead letters a crashed run had not told the owner of yet are owed still: the loop finds them.
  notifier?.start();
  // Retention at start and then hourly: days are its unit, so an hour late is on time.
  let purging: Promise<unknown> = Promise.resolve();
  const retain = () => {
    purging = purge().catch((error: unknown) =>
      log('error', 'outbox retention failed', { error: String(error) }),
    );
  };
  retain();
  const retention = setInterval(retain, RETENTION_EVERY_MS);
  retention.unref();

  return {
    url: `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`,
    demo,
    server,
    async close() {
      // Stop accepting requests and starting deliveries; let those in progress (fast paths
      // included) finish; then hand back whatever this instance still holds and close the outbox.
      clearInterval(retention);
      const closed = new Promise<void>((done) => server.close(() => done()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      const stopped = drainer.stop({ release: false });
      await closed;
      await stopped;
      await notifier?.stop();
      await purging;
      const released = await outbox.release(instanceId);
      if (released > 0) log('info', 'outbox leases released', { released });
      await outbox.close();
    },
  };
}
