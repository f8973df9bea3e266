/**
 * For widget tests in a simulated browser: the backend in demo mode as a separate Node process
 * (built-in simulator, any origin allowed, no fill-time check), inspected and driven through
 * node:http — the simulated browser's own XHR and fetch stay the visitor's — and the visitor's
 * network to it, which a test can watch, slow down and cut.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure } from '@testing-library/preact';
import { afterAll } from 'vitest';
import { z } from 'zod';
import { parseList } from '../../server/deskie/schemas';
import { DEMO_CONFIG } from './backend';
import { startEntry } from './process';

/**
 * How long to wait for what the backend does. It is another process reached over real HTTP, on a
 * machine other work may keep busy, so that can take seconds. A long limit costs nothing when the
 * answer comes at once, and a test waiting for something that never comes still fails.
 */
export const PATIENCE = { timeout: 15_000 };
// The same for every findBy… and waitFor of the widget tests (testing-library's default is 1 s).
configure({ asyncUtilTimeout: PATIENCE.timeout });

/** A JSON call to the demo's simulator with its Basic credentials. */
function simulator(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/_deskie${path}`,
      {
        method,
        auth: 'demo@example.com:demo-key',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text ? JSON.parse(text) : undefined));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A multipart call to the demo's simulator: `fields` as text parts, then `files` as file parts. */
function simulatorMultipart(
  base: string,
  path: string,
  fields: Record<string, string>,
  files: { part: string; name: string; type: string; data: Buffer }[],
): Promise<unknown> {
  const boundary = `----deskie${Date.now()}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const f of files)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.part}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(chunks);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/_deskie${path}`,
      {
        method: 'POST',
        auth: 'demo@example.com:demo-key',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text ? JSON.parse(text) : undefined));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A case or message as the simulator's API shows it: the keys tests read, the rest kept as is. */
export const simCase = z.looseObject({ case_id: z.number(), case_number: z.string() });
export const simMessage = z.looseObject({});
export type SimCase = z.infer<typeof simCase>;

/**
 * The backend in demo mode, on a Deskie plan whose budget never runs out; `form` is merged over
 * the demo form (and `top` over the config).
 */
export async function demoBackend(
  form: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
  /** More environment for the backend (a captcha's secret, say). */
  env: Record<string, string> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'deskie-widget-'));
  const config = join(dir, 'forms.json');
  writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      forms: [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 0, ...form }],
      allowedOrigins: ['*'],
      // The simulator's budget resets on the minute of the wall clock: with the plan's 50 calls,
      // whether a file's calls fit in one would depend on when it ran and how fast.
      deskie: { ...DEMO_CONFIG.deskie, rpm: 1_000_000 },
      // The simulator answers at once: a lost answer is looked for after a second, not 30.
      delivery: { reconcileAfterSeconds: 1 },
      limits: {
        submissions: { limit: 1000, windowSeconds: 60 },
        lookups: { limit: 1000, windowSeconds: 60 },
      },
      ...top,
    }),
  );
  const app = startEntry('server/runtimes/node.ts', {
    PORT: '0',
    DESKIE_FORM_CONFIG: config,
    DESKIE_FORM_DATABASE: join(dir, 'outbox.sqlite'),
    ...env,
  });
  const [, url] = await app.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
  const base = url ?? '';
  const sim = (method: string, path: string, body?: unknown) => simulator(base, method, path, body);
  return {
    url: base,
    /** The cases the simulator holds, oldest first. */
    async cases(): Promise<SimCase[]> {
      return parseList(await sim('GET', '/api/cases.json?sort=created_at_asc'), 'case', simCase).items;
    },
    /** A case's messages, oldest first. */
    async messages(caseId: number) {
      return parseList(await sim('GET', `/api/cases/${caseId}/messages.json`), 'message', simMessage).items;
    },
    /** An agent's public reply, an internal note, a new status — what support does in Deskie. */
    reply: (caseId: number, content: string) =>
      sim('POST', `/api/cases/${caseId}/messages.json`, { message: { staff_id: 1, content } }),
    /** An agent's public reply with a file, as the console sends it (multipart `message[attachments][]`). */
    replyWithFile: (caseId: number, content: string, file: { name: string; type: string; data: Buffer }) =>
      simulatorMultipart(
        base,
        `/api/cases/${caseId}/messages.json`,
        { 'message[staff_id]': '1', 'message[content]': content },
        [{ part: 'message[attachments][]', ...file }],
      ),
    note: (caseId: number, content: string) =>
      sim('POST', `/api/cases/${caseId}/note.json`, { note: { staff_id: 1, content } }),
    setStatus: (caseId: number, status: string) =>
      sim('PUT', `/api/cases/${caseId}.json`, { case: { status } }),
    /** Changes the simulator's faults, e.g. `{ hold: true }`: Deskie answers nothing until `{ hold: false }`. */
    faults: (patch: Record<string, unknown>) => sim('PUT', '/_sim/faults', patch),
    /** API requests the simulator has seen, and how many the hold keeps waiting right now. */
    stats: async () => simStats.parse(await sim('GET', '/_sim/stats')),
    resetCases: () => sim('POST', '/_sim/reset'),
  };
}

const simStats = z.object({ requests: z.number(), throttled: z.number(), held: z.number() });

/** A request as it crossed the visitor's line, with the status of its answer once the backend gave one. */
export interface Crossing {
  method: string;
  path: string;
  /** Its Idempotency-Key header. */
  key: string | undefined;
  status?: number;
}

const lines = new Set<{ cut(): Promise<void> }>();
// Registered at load, as in process.ts: lines opened by a test file close after it.
afterAll(() => Promise.all([...lines].map((line) => line.cut())));

/**
 * The visitor's network between the widget and `target`: a relay in this process that notes every
 * request that crosses it, can hold answers back (a server that does not answer in time, for as
 * long as the test wants), and can be cut and restored (a train in a tunnel).
 */
export async function visitorLine(target: string) {
  const crossed: Crossing[] = [];
  const sockets = new Set<Socket>();
  const held: (() => void)[] = [];
  let holding: ((crossing: Crossing) => boolean) | undefined;
  let server: Server | undefined;
  let port = 0;

  const relay = (req: IncomingMessage, res: ServerResponse) => {
    const key = req.headers['idempotency-key'];
    const crossing: Crossing = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      key: typeof key === 'string' ? key : undefined,
    };
    crossed.push(crossing);
    const upstream = request(
      `${target}${crossing.path}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        crossing.status = answer.statusCode;
        const pass = () => {
          // The widget gave up on it while it was held: nobody is left to tell.
          if (res.destroyed) return void answer.resume();
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (holding?.(crossing)) held.push(pass);
        else pass();
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const open = () =>
    new Promise<void>((resolve) => {
      const s = createServer(relay);
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server = s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        resolve();
      });
    });
  const line = {
    /** Where the widget sends its requests; the same after a cut and a restore. */
    url: () => `http://127.0.0.1:${port}`,
    /** Every request that crossed, in order. */
    crossed,
    /** Holds back the answers to the requests `match` picks, until `release()`. */
    hold(match: (crossing: Crossing) => boolean) {
      holding = match;
    },
    /** Passes on every answer held back, and holds no more. */
    release() {
      holding = undefined;
      for (const pass of held.splice(0)) pass();
    },
    /** Drops every connection and refuses new ones, as when the network is gone. */
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (server?.listening) server.close(() => resolve());
        else resolve();
      }),
    restore: open,
  };
  await open();
  lines.add(line);
  return line;
}
