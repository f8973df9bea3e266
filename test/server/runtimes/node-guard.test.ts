/** The Node server's own guards: slow clients, unreadable requests, connections per address. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorBody } from '../../../server/contract';
import { guardServer, timeoutOptions } from '../../../server/runtimes/node-guard';
import { answerOn, exchange, openSocket } from '../../helpers/raw-http';
import { PATIENCE } from '../../helpers/serve';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
});

/** A guarded server whose requests are answered only when the test says so. */
async function guarded(options: { cap?: number; headersMs?: number } = {}) {
  const waiting: (() => void)[] = [];
  const server = createServer(timeoutOptions(options.headersMs ?? 60_000, 120_000), (_, response) => {
    waiting.push(() => response.end('ok'));
  });
  guardServer(server, { connectionsPerAddress: options.cap });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  const release = () => {
    for (const answer of waiting.splice(0)) answer();
  };
  return { server, port, waiting, release };
}

const codeOf = async (answer: Response) => errorBody.parse(await answer.json()).error.code;

describe('the Node server', () => {
  it('answers a client that never finishes its headers with 408 in the error shape, and closes', async () => {
    const { port } = await guarded({ headersMs: 1_000 });
    const answer = await exchange(port, 'POST /v1/forms/support/submissions HTTP/1.1\r\nHost: x\r\n');
    expect(answer.status).toBe(408);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(await codeOf(answer)).toBe('REQUEST_TIMEOUT');
  });

  it('answers headers too large and bytes that are not HTTP in the error shape', async () => {
    const { port } = await guarded();
    const big = await exchange(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(await codeOf(big)).toBe('HEADERS_TOO_LARGE');
    const junk = await exchange(port, '\u0000\u0001 not http at all\r\n\r\n');
    expect(junk.status).toBe(400);
    expect(await codeOf(junk)).toBe('BAD_REQUEST');
  });

  it('holds an address to its connections at once: the next is refused with 429 until one closes', async () => {
    const { port, server, waiting, release } = await guarded({ cap: 2 });
    const held = await Promise.all([openSocket(port), openSocket(port)]);
    const answers = held.map((s) => answerOn(s));
    for (const s of held) s.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    // Both requests are in the server's hands, unanswered: the address holds two connections.
    await vi.waitFor(() => expect(waiting).toHaveLength(2), PATIENCE);
    const third = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(await codeOf(third)).toBe('RATE_LIMITED');

    release();
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200]);
    await vi.waitFor(async () => {
      const open = await new Promise((done) => server.getConnections((_, n) => done(n)));
      expect(open).toBe(0);
    }, PATIENCE);
    const fourth = exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await vi.waitFor(() => expect(waiting).toHaveLength(1), PATIENCE);
    release();
    expect((await fourth).status).toBe(200);
  });

  it('does not count connections when the config says they come from a proxy', async () => {
    const { port, waiting, release } = await guarded({ cap: undefined });
    const answers = Array.from({ length: 5 }, () =>
      exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    await vi.waitFor(() => expect(waiting).toHaveLength(5), PATIENCE);
    release();
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
