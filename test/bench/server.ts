/**
 * The backend under load over 127.0.0.1 (autocannon in its own process, 50 connections), every
 * figure beside a raw node:http JSON echo measured in the same run — the load generator and the
 * servers share the machine's two cores, so only ratios compare across runs:
 *  - the form definition (GET, as a browser asks: gzip accepted);
 *  - a submission queued in the SQLite outbox (fsync kept) and answered 202 — Deskie's budget spent;
 *  - a submission whose case is created in the simulator (its own process) before the 201;
 *  - the CPU the backend spends per submission and per refusal (what a serverless owner pays);
 *  - status lookups while a flood of 2 000 submissions a second is queued.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { parseConfig } from '../../server/config/schema';
import { openSqlite } from '../../server/db/sqlite';
import { createGovernor } from '../../server/rate/governor';
import { createBackend, storageIn } from '../../server/runtimes/backend';
import { nodeDigests } from '../../server/runtimes/node-digests';
import { nodeFetch } from '../../server/runtimes/node-fetch';
import {
  combined,
  DURATION_S,
  type Load,
  type LoadResult,
  listening,
  load,
  paired,
  startProcess,
} from './load';

const ANSWER = JSON.stringify({ status: 'created', caseNumber: '123-456789', lookupToken: 'x'.repeat(100) });
const VALUES = {
  name: 'Ann',
  email: 'ann@example.com',
  subject: 'Bench',
  cf_9: '2',
  message: 'A benchmark request.',
  cf_12: false,
};
/** The submission flood status lookups are measured under, requests per second. */
const FLOOD_RPS = 2_000;

/** A plain node:http server parsing the JSON body and answering 201: the floor every ratio is over. */
function rawEcho() {
  return createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      JSON.parse(text);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(ANSWER);
    });
  }).listen(0, '127.0.0.1');
}

/** The same echo on Hono and its Node adapter: what the framework costs. */
function honoEcho() {
  const app = new Hono().post('/', async (c) => {
    await c.req.json();
    return c.body(ANSWER, 201, { 'content-type': 'application/json' });
  });
  return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
}

interface BackendOptions {
  /** Deskie's base URL (the simulator). */
  deskie: string;
  /** The governor's budget: tiny, and every submission after the first is queued. */
  rpm: number;
  /** Changes to the `limits` block. */
  limits?: Record<string, unknown>;
}

/** A backend on a fresh SQLite outbox (a file: fsync on commit), the demo form, bench limits. */
async function startBackend(options: BackendOptions) {
  const demo = JSON.parse(readFileSync(new URL('../../server/config/demo.json', import.meta.url), 'utf8'));
  const config = parseConfig({
    ...demo,
    forms: [{ ...demo.forms[0], minFillSeconds: 0 }],
    allowedOrigins: ['https://shop.example'],
    // One form token and one address file the whole run: what is measured is the path, not the caps.
    limits: {
      submissions: { limit: 1_000_000_000, windowSeconds: 60 },
      lookups: { limit: 1_000_000_000, windowSeconds: 60 },
      submissionsPerFormToken: 1_000_000,
      ...options.limits,
    },
  });
  const database = await openSqlite(join(mkdtempSync(join(tmpdir(), 'deskie-bench-')), 'outbox.sqlite'));
  const storage = {
    ...storageIn(database, config, () => {}),
    governor: createGovernor({ rpm: options.rpm }),
  };
  const { app, outbox, drainer } = createBackend({
    config,
    account: { baseUrl: options.deskie, staffEmail: 'demo@example.com', apiKey: 'demo-key' },
    secret: 'bench-secret-bench-secret-bench-secret',
    storage,
    log: () => {},
    instanceId: 'bench',
    clientIp: (c) => c.req.header('x-bench-ip') ?? '127.0.0.1',
    gzip: (text) => gzipSync(text),
    digests: nodeDigests,
    deskie: { fetch: nodeFetch },
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  const url = await listening(server);
  const { formToken } = (await (await fetch(`${url}/v1/forms/support`)).json()) as { formToken: string };
  const body = JSON.stringify({ formToken, values: VALUES, context: { pageUrl: 'https://shop.example/' } });
  return {
    url,
    submissions: `${url}/v1/forms/support/submissions`,
    body,
    outbox,
    async close() {
      server.close();
      await drainer.stop();
      await outbox.close();
    },
  };
}

/** Fails the bench when a run's answers were not what it measures. */
function expectAll(name: string, result: LoadResult, status: 'ok' | 'non2xx') {
  const wrong = status === 'ok' ? result.non2xx : result.ok;
  if (wrong > 0 || result.errors > 0 || result.requests === 0)
    throw new Error(`${name}: ${JSON.stringify(result)}`);
}

const ratio = (rps: number, baseline: number) => Number((rps / baseline).toFixed(3));

/** Refusals of five kinds, each costed alone: CPU per request and its share of the echo's rate. */
async function benchRefusals(simUrl: string) {
  // Small caps where a refusal needs them: a body over 64 kB, an address past 1 a minute.
  const backend = await startBackend({
    deskie: simUrl,
    rpm: 2,
    limits: { bodyBytes: 64 * 1024 },
  });
  const limited = await startBackend({
    deskie: simUrl,
    rpm: 2,
    limits: { submissions: { limit: 1, windowSeconds: 60 } },
  });
  // The address's one submission a minute, spent before the run.
  await fetch(limited.submissions, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: limited.body,
  });
  const good = JSON.parse(backend.body) as { formToken: string };
  const kinds: Record<string, [string, Parameters<typeof load>[1]]> = {
    origin: [backend.submissions, { body: backend.body, headers: { origin: 'https://evil.example' } }],
    address: [limited.submissions, { body: limited.body }],
    token: [backend.submissions, { body: JSON.stringify({ formToken: 'forged.token', values: VALUES }) }],
    honeypot: [
      backend.submissions,
      { body: JSON.stringify({ formToken: good.formToken, values: { ...VALUES, website: 'http://spam' } }) },
    ],
    oversize: [backend.submissions, { body: JSON.stringify({ padding: 'x'.repeat(70 * 1024) }) }],
  };
  const metrics: Record<string, number> = {};
  let total = 0;
  for (const [kind, [url, options]] of Object.entries(kinds)) {
    const result = await load(url, options);
    // A honeypot is answered like a filing (201): the bot must not learn it was caught.
    expectAll(`refusal ${kind}`, result, kind === 'honeypot' ? 'ok' : 'non2xx');
    metrics[`server.cpu_us_refusal_${kind}`] = result.cpuUs;
    total += result.cpuUs;
  }
  metrics['server.cpu_us_per_refusal'] = Math.round(total / Object.keys(kinds).length);
  await backend.close();
  await limited.close();
  return metrics;
}

/** Status lookups (a queued request's token) alone, then while a flood of submissions is queued. */
async function benchFlood(simUrl: string) {
  const backend = await startBackend({ deskie: simUrl, rpm: 2 });
  const first = await fetch(backend.submissions, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: backend.body,
  });
  const { lookupToken } = (await first.json()) as { lookupToken: string };
  const lookup = { body: JSON.stringify({ token: lookupToken }), connections: 5 };
  const status = `${backend.url}/v1/forms/support/status`;
  const calm = await load(status, lookup);
  expectAll('lookups', calm, 'ok');
  const [flood, lookups] = await Promise.all([
    load(backend.submissions, { body: backend.body, rate: FLOOD_RPS }),
    load(status, lookup),
  ]);
  expectAll('flood', flood, 'ok');
  // A lookup starved for the whole run has no latency to read: it waited at least the run.
  if (lookups.requests > 0) expectAll('lookups under flood', lookups, 'ok');
  await backend.close();
  return {
    'server.lookup_p99_ms': calm.p99,
    'server.flood_lookup_p99_ms': lookups.requests > 0 ? lookups.p99 : DURATION_S * 1000,
    'server.flood_submissions_rps': flood.rps,
  };
}

export async function benchServer(): Promise<Record<string, number>> {
  const echo = rawEcho();
  const hono = honoEcho();
  const sim = await startProcess('server/simulator/main.ts', { PORT: '0', DESKIE_SIM_RPM: '100000000' });
  const tiny = await startProcess('server/simulator/main.ts', { PORT: '0', DESKIE_SIM_RPM: '2' });
  try {
    const queue = await startBackend({ deskie: tiny.url, rpm: 2 });
    const full = await startBackend({ deskie: sim.url, rpm: 100_000_000 });

    // Each figure beside the echo, in alternating slices (load.ts `paired`); its ratio is over
    // the echo of its own slices, and the echo's reported rate is the mean of all of them.
    const echoRun: [string, Load] = [await listening(echo), { body: queue.body }];
    const echoes: LoadResult[] = [];
    const beside = async (name: string, url: string, options: Load) => {
      const { baseline, target } = await paired(echoRun, [url, options]);
      expectAll('echo', baseline, 'ok');
      expectAll(name, target, 'ok');
      echoes.push(baseline);
      return { ...target, ratio: ratio(target.rps, baseline.rps) };
    };
    const framework = await beside('hono echo', await listening(hono), { body: queue.body });
    const form = await beside('form', `${queue.url}/v1/forms/support`, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    const queued = await beside('queued', queue.submissions, { body: queue.body });
    if ((await queue.outbox.stats()).pending < queued.ok) throw new Error('queued: answers without rows');
    const created = await beside('created', full.submissions, { body: full.body });
    const baseline = combined(echoes);
    await queue.close();
    await full.close();

    return {
      'server.baseline_rps': baseline.rps,
      'server.baseline_p99_ms': baseline.p99,
      'server.hono_echo_ratio': framework.ratio,
      'server.form_get_rps': form.rps,
      'server.form_get_ratio': form.ratio,
      'server.form_get_p99_ms': form.p99,
      'server.accept_queued_rps': queued.rps,
      'server.accept_queued_ratio': queued.ratio,
      'server.accept_queued_p99_ms': queued.p99,
      'server.cpu_us_per_submission': queued.cpuUs,
      'server.accept_full_rps': created.rps,
      'server.accept_full_ratio': created.ratio,
      'server.accept_full_p50_ms': created.p50,
      'server.accept_full_p99_ms': created.p99,
      'server.cpu_us_per_case_created': created.cpuUs,
      ...(await benchRefusals(tiny.url)),
      ...(await benchFlood(tiny.url)),
    };
  } finally {
    echo.close();
    hono.close();
    sim.stop();
    tiny.stop();
  }
}
