/**
 * The owner's webhook, as a receiver would write it (node:http on 127.0.0.1): it checks every
 * notice the way docs/delivery.md tells owners to — the HMAC of `timestamp.body`, and a timestamp
 * within five minutes of its own clock — refuses what fails (401), and answers the rest 204, or
 * 500 while told to fail, or not at all while told to hold.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { afterAll } from 'vitest';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body as sent (what the signature covers). */
  raw: string;
  body: Record<string, unknown>;
  /** Whether the signature and the timestamp passed the documented checks. */
  verified: boolean;
  /** What the receiver answered; undefined while it holds the request. */
  status: number | undefined;
}

/** The documented check: the signature matches, and the timestamp is at most 5 minutes off `nowMs`. */
export function verifyNotice(secret: string, headers: IncomingHttpHeaders, raw: string, nowMs: number) {
  const timestamp = String(headers['deskie-form-timestamp'] ?? '');
  const signature = String(headers['deskie-form-signature'] ?? '');
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
  const matches =
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  return matches && /^\d+$/.test(timestamp) && Math.abs(nowMs / 1000 - Number(timestamp)) <= 300;
}

const servers = new Set<ReturnType<typeof createServer>>();
afterAll(() =>
  Promise.all(
    [...servers].map(
      (s) =>
        new Promise<void>((done) => {
          s.closeAllConnections();
          s.close(() => done());
        }),
    ),
  ),
);

/** A receiver keyed with `secret` whose clock is `now` (the test's); it stops after the test file. */
export async function startReceiver(secret: string, now: () => number) {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  let failing = 0;
  let holding = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = verifyNotice(secret, req.headers, raw, now());
      const entry: Received = {
        headers: req.headers,
        raw,
        body: JSON.parse(raw),
        verified,
        status: undefined,
      };
      received.push(entry);
      if (!verified) entry.status = 401;
      else if (holding) return void held.push(res);
      else if (failing > 0) {
        failing -= 1;
        entry.status = 500;
      } else entry.status = 204;
      res.writeHead(entry.status).end();
    });
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/deskie-form`,
    received,
    /** The notices it accepted. */
    accepted: () => received.filter((r) => r.status === 204),
    /** Answers the next `n` valid notices 500. */
    failNext(n: number) {
      failing = n;
    },
    /** While on, valid notices get no answer at all. */
    hold(on: boolean) {
      holding = on;
    },
    /** Sends `request` again, byte for byte, as an attacker who recorded it would. */
    replay: (request: Received) =>
      fetch(`http://127.0.0.1:${port}/hooks/deskie-form`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'deskie-form-timestamp': String(request.headers['deskie-form-timestamp']),
          'deskie-form-signature': String(request.headers['deskie-form-signature']),
        },
        body: request.raw,
      }),
  };
}
