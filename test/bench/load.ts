/**
 * Load for the server benchmarks: autocannon in its own process (so the load generator never shares
 * the measured event loop), and the CPU time this process spent while it ran — the backend under
 * test runs here, Deskie's simulator and the load generator do not.
 */
import { execFile, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);

/** Seconds each measured run lasts (BENCH_SECONDS shortens it while working on one piece). */
export const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Seconds of the same load before each measured run, not counted: what is measured is the server
 * as it runs after its first seconds (code compiled, pools and caches filled), not its start.
 */
export const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
/** Connections each measured run keeps open. */
export const CONNECTIONS = 50;

export interface Load {
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  /** Requests per second for the whole run (autocannon's overall rate); as fast as answered without. */
  rate?: number;
  seconds?: number;
  /** Seconds of warm-up before the measured run. Default WARMUP_S. */
  warmup?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Answers by status class, as autocannon counts them. */
  ok: number;
  non2xx: number;
  errors: number;
  requests: number;
  /** Microseconds of this process's CPU (user + system) per request answered. */
  cpuUs: number;
}

interface Autocannon {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  '2xx': number;
  errors: number;
  timeouts: number;
}

/** Runs autocannon with `args`; resolves with its JSON report. */
const autocannon = (args: string[]) =>
  new Promise<Autocannon>((resolve, reject) => {
    execFile(
      process.execPath,
      [require.resolve('autocannon/autocannon.js'), ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as Autocannon)),
    );
  });

/**
 * Runs autocannon against `url` — first for WARMUP_S seconds whose answers are not counted, then
 * for the measured run; resolves with its figures and this process's CPU per request answered.
 */
export async function load(url: string, options: Load = {}): Promise<LoadResult> {
  const args = ['-c', String(options.connections ?? CONNECTIONS)];
  args.push('-m', options.method ?? (options.body === undefined ? 'GET' : 'POST'));
  if (options.rate !== undefined) args.push('-R', String(options.rate));
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (options.body !== undefined) args.push('-H', 'content-type=application/json', '-b', options.body);
  args.push('-j', url);
  const warmup = options.warmup ?? WARMUP_S;
  if (warmup > 0) await autocannon(['-d', String(warmup), ...args]);
  const cpu = process.cpuUsage();
  const r = await autocannon(['-d', String(options.seconds ?? DURATION_S), ...args]);
  const spent = process.cpuUsage(cpu);
  const requests = r['2xx'] + r.non2xx;
  const result = {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    requests,
    cpuUs: Math.round((spent.user + spent.system) / Math.max(1, requests)),
  };
  if (process.env.BENCH_VERBOSE) console.error(url, JSON.stringify(result));
  return result;
}

/** Runs `slices` as one: rates averaged, answers and CPU summed, the worst slice's latencies. */
export function combined(slices: LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => slices.reduce((total, r) => total + pick(r), 0);
  const requests = sum((r) => r.requests);
  return {
    rps: Math.round(sum((r) => r.rps) / slices.length),
    p50: Math.max(...slices.map((r) => r.p50)),
    p99: Math.max(...slices.map((r) => r.p99)),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    requests,
    cpuUs: Math.round(sum((r) => r.cpuUs * r.requests) / Math.max(1, requests)),
  };
}

/**
 * `target` and `baseline` measured in alternating slices (warmed up once each), DURATION_S in all
 * for each: on a shared machine the speed drifts from minute to minute (the echo alone read 23 500
 * to 33 800 requests a second between runs), and a ratio must compare the two under the same
 * conditions, not a minute apart.
 */
export async function paired(
  baseline: [string, Load],
  target: [string, Load],
  slices = 4,
): Promise<{ baseline: LoadResult; target: LoadResult }> {
  const seconds = DURATION_S / slices;
  const runs: { baseline: LoadResult[]; target: LoadResult[] } = { baseline: [], target: [] };
  for (let i = 0; i < slices; i++)
    for (const [name, [url, options]] of [
      ['baseline', baseline],
      ['target', target],
    ] as const)
      runs[name].push(await load(url, { ...options, seconds, warmup: i === 0 ? WARMUP_S : 0 }));
  return { baseline: combined(runs.baseline), target: combined(runs.target) };
}

/** The URL a server listens on, once it does. */
export const listening = (server: Server) =>
  new Promise<string>((resolve) => {
    const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (server.listening) resolve(url());
    else server.once('listening', () => resolve(url()));
  });

/** A TypeScript entry started as its own process; resolves once it prints the URL it serves. */
export function startProcess(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<{ url: string; stop: () => void }>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk;
      const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (found?.[1]) resolve({ url: found[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
}

/** Two processes that only burn CPU, as other work on a shared machine does; `stop` ends them. */
export function cpuHogs(count = 2) {
  const hogs = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  return {
    stop() {
      for (const h of hogs) h.kill('SIGKILL');
    },
  };
}
