/**
 * Memory per upload: the resident set of the bundled server (`npm start`'s) after it accepted and
 * filed files of 9.9 MB, and after it refused uploads of 50 MB streamed without a length — read from
 * /proc while it runs against the simulator. The baseline, in the same run: a bare node:http server
 * that reads the same uploads whole into memory and answers 201, the least a Node server holding a
 * file could cost. Memory an allocator keeps after a request is counted too: it is what the host pays.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createSimulator } from '../../server/simulator/app';

const FILE_BYTES = Math.round(9.9 * 1024 * 1024);
const REFUSED_BYTES = 50 * 1024 * 1024;
const VALUES = {
  name: 'Ann',
  email: 'ann@example.com',
  subject: 'Memory',
  cf_9: '2',
  message: 'Two photos.',
};

const residentMb = (child: ChildProcess, field: 'VmRSS' | 'VmHWM' = 'VmRSS') => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024);
};

/** Spawns `node args` with `env`; resolves with the child and the URL it says it listens on. */
function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk;
      const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (found?.[1]) resolve({ child, url: found[1] });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** The demo form, with the bot timer and the per-address and per-token caps out of the way. */
function benchConfig(dir: string) {
  const demo = JSON.parse(readFileSync('server/config/demo.json', 'utf8'));
  demo.forms[0].minFillSeconds = 0;
  demo.limits = { submissions: { limit: 1000, windowSeconds: 60 }, submissionsPerFormToken: 1000 };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(demo));
  return path;
}

/** One submission with one 9.9 MB file; returns the HTTP status. */
async function upload(url: string, formToken: string, n: number) {
  const body = new FormData();
  body.set('payload', JSON.stringify({ formToken, values: { ...VALUES, subject: `Memory ${n}` } }));
  body.set(
    'attachments',
    new Blob([new Uint8Array(FILE_BYTES).fill(65)], { type: 'text/plain' }),
    `log-${n}.txt`,
  );
  const answer = await fetch(`${url}/v1/forms/support/submissions`, {
    method: 'POST',
    headers: { 'idempotency-key': `memory-bench-${n}-0000` },
    body,
  });
  await answer.arrayBuffer();
  return answer.status;
}

/** A 50 MB file streamed in 64 kB chunks with no Content-Length; resolves once answered or cut. */
function streamedUpload(url: string, formToken: string) {
  const boundary = 'memorybench';
  return new Promise<number>((resolve) => {
    const req = request(`${url}/v1/forms/support/submissions`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    req.on('response', (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
    req.on('error', () => resolve(0));
    req.write(
      `--${boundary}\r\ncontent-disposition: form-data; name="payload"\r\n\r\n${JSON.stringify({ formToken, values: VALUES })}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="attachments"; filename="big.txt"\r\ncontent-type: text/plain\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 66);
    let sent = 0;
    const pump = () => {
      while (sent < REFUSED_BYTES && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

async function measureServer(deskieUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'deskie-memory-'));
  const { child, url } = await start(['build/server/node.mjs'], {
    PORT: '0',
    DESKIE_FORM_DATABASE: join(dir, 'outbox.sqlite'),
    DESKIE_FORM_CONFIG: benchConfig(dir),
    DESKIE_URL: deskieUrl,
    DESKIE_STAFF_EMAIL: 'demo@example.com',
    DESKIE_API_KEY: 'demo-key',
    DESKIE_FORM_SECRET: 'memory-bench-secret-'.repeat(3),
  });
  try {
    const { formToken } = (await (await fetch(`${url}/v1/forms/support`)).json()) as { formToken: string };
    const idle = residentMb(child);
    const statuses: number[] = [];
    for (let n = 0; n < 2; n++) statuses.push(await upload(url, formToken, n));
    const afterTwo = residentMb(child);
    for (let n = 2; n < 8; n++) statuses.push(await upload(url, formToken, n));
    const afterEight = residentMb(child);
    for (let n = 0; n < 5; n++) statuses.push(await streamedUpload(url, formToken));
    const afterRefused = residentMb(child);
    if (statuses.join() !== '201,201,201,201,201,201,201,201,413,413,413,413,413')
      throw new Error(`memory bench: unexpected answers ${statuses.join()}`);
    return { idle, afterTwo, afterEight, afterRefused, peak: residentMb(child, 'VmHWM') };
  } finally {
    child.kill('SIGKILL');
  }
}

async function measureBaseline() {
  const dir = mkdtempSync(join(tmpdir(), 'deskie-memory-bare-'));
  const bare = join(dir, 'bare.mjs');
  writeFileSync(
    bare,
    `import { createServer } from 'node:http';
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  globalThis.last = Buffer.concat(chunks);
  res.writeHead(201).end('{}');
});
server.listen(0, '127.0.0.1', () => console.log('on http://127.0.0.1:' + server.address().port));`,
  );
  const { child, url } = await start([bare], {});
  try {
    const idle = residentMb(child);
    for (let n = 0; n < 8; n++) await upload(url, 'none', n);
    return { idle, afterEight: residentMb(child) };
  } finally {
    child.kill('SIGKILL');
  }
}

export async function benchMemory(): Promise<Record<string, number>> {
  const simulator = createSimulator({ rpm: 100_000 });
  const served = serve({ fetch: simulator.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => served.once('listening', resolve));
  const deskieUrl = `http://127.0.0.1:${(served.address() as AddressInfo).port}`;
  try {
    const server = await measureServer(deskieUrl);
    const baseline = await measureBaseline();
    return {
      'server.rss_mb_idle': server.idle,
      'server.rss_mb_after_uploads': server.afterTwo,
      'server.rss_mb_after_eight_uploads': server.afterEight,
      'server.rss_mb_after_refused_uploads': server.afterRefused,
      'server.rss_mb_peak': server.peak,
      'server.rss_mb_baseline_idle': baseline.idle,
      'server.rss_mb_baseline_after_eight_uploads': baseline.afterEight,
      'server.rss_growth_ratio': Number(
        ((server.afterEight - server.idle) / (baseline.afterEight - baseline.idle)).toFixed(2),
      ),
    };
  } finally {
    served.close();
  }
}
