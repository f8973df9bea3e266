/**
 * Accept-path throughput over 127.0.0.1, loaded by autocannon from a child process:
 *  - the full path: validate, store in the SQLite outbox, create the case in Deskie (the simulator,
 *    unlimited plan, same process) while the visitor waits — 201;
 *  - the queue path: the same, but Deskie's budget is spent, so it ends at the outbox — 202;
 *  - a plain node:http server parsing the same JSON and answering 201: the baseline.
 * Load generator and servers share the machine's two cores: read the ratios.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { parseConfig } from '../../server/config/schema';
import { openSqlite } from '../../server/db/sqlite';
import { createGovernor } from '../../server/rate/governor';
import { createBackend, storageIn } from '../../server/runtimes/backend';
import { createSimulator } from '../../server/simulator/app';

const require = createRequire(import.meta.url);
const DURATION_S = 5;
const CONNECTIONS = 10;

interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  '2xx': number;
}

const listening = (server: Server) =>
  new Promise<string>((resolve) =>
    server.once('listening', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

/** autocannon in its own process, so the load generator does not share the servers' event loop. */
function load(url: string, body: string): Promise<LoadResult> {
  const args = [
    '-c',
    String(CONNECTIONS),
    '-d',
    String(DURATION_S),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    body,
    '-j',
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [require.resolve('autocannon/autocannon.js'), ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as LoadResult)),
    );
  });
}

/** A backend on a fresh SQLite outbox whose governor allows `rpm`; returns its URL, a valid body and its outbox. */
async function startBackend(simUrl: string, rpm: number) {
  const demo = JSON.parse(readFileSync(new URL('../../server/config/demo.json', import.meta.url), 'utf8'));
  const config = parseConfig({
    ...demo,
    forms: [{ ...demo.forms[0], minFillSeconds: 0 }],
    // One form token files the whole burst: what is measured is delivery, not the token's cap.
    limits: { submissions: { limit: 1_000_000, windowSeconds: 60 }, submissionsPerFormToken: 1_000_000 },
  });
  const database = await openSqlite(join(mkdtempSync(join(tmpdir(), 'deskie-bench-')), 'outbox.sqlite'));
  const storage = { ...storageIn(database, config, () => {}), governor: createGovernor({ rpm }) };
  const { app, outbox } = createBackend({
    config,
    account: { baseUrl: simUrl, staffEmail: 'demo@example.com', apiKey: 'demo-key' },
    secret: 'bench-secret-bench-secret-bench-secret',
    storage,
    log: () => {},
    instanceId: 'bench',
    clientIp: () => '127.0.0.1',
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  const url = await listening(server);
  const { formToken } = (await (await fetch(`${url}/v1/forms/support`)).json()) as { formToken: string };
  const body = JSON.stringify({
    formToken,
    values: {
      name: 'Ann',
      email: 'ann@example.com',
      subject: 'Bench',
      cf_9: '2',
      message: 'A benchmark request.',
      cf_12: false,
    },
    context: { pageUrl: 'https://shop.example/' },
  });
  return { url: `${url}/v1/forms/support/submissions`, body, outbox, server };
}

export async function benchServer(): Promise<Record<string, number>> {
  const sim = createSimulator({ rpm: 100_000_000 });
  const simServer = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  const simUrl = await listening(simServer);

  const full = await startBackend(simUrl, 100_000_000);
  const api = await load(full.url, full.body);
  const created = sim.state.cases.length;
  // Requests still in flight when the run ends create cases autocannon does not count.
  if (api.non2xx > 0 || created < api['2xx'] || created > api['2xx'] + CONNECTIONS)
    throw new Error(`full path: ${api.non2xx} non-2xx, ${created} cases for ${api['2xx']} answers`);

  // A plan of two calls a minute: after the first case, every submission is queued.
  const tiny = createSimulator({ rpm: 2 });
  const tinyServer = serve({ fetch: tiny.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  const queue = await startBackend(await listening(tinyServer), 2);
  const queued = await load(queue.url, queue.body);
  const stored = (await queue.outbox.stats()).pending;
  if (queued.non2xx > 0 || stored < queued['2xx'])
    throw new Error(`queue path: ${queued.non2xx} non-2xx, ${stored} stored`);

  const baseline = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      JSON.parse(text);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'created', caseNumber: '123-456789', lookupToken: 'x'.repeat(100) }));
    });
  }).listen(0, '127.0.0.1');
  const plain = await load(await listening(baseline), full.body);

  for (const s of [full.server, queue.server, simServer, tinyServer, baseline]) s.close();
  await full.outbox.close();
  await queue.outbox.close();
  return {
    'server.accept_rps': Math.round(api.requests.average),
    'server.accept_p50_ms': api.latency.p50,
    'server.accept_p99_ms': api.latency.p99,
    'delivery.accept_rps_sqlite': Math.round(queued.requests.average),
    'delivery.accept_p99_ms_sqlite': queued.latency.p99,
    'server.baseline_rps': Math.round(plain.requests.average),
    'server.baseline_p99_ms': plain.latency.p99,
  };
}
