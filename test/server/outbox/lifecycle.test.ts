import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { validValues } from '../../helpers/backend';
import { backendEnv, startEntry } from '../../helpers/process';
import { PATIENCE, startSimulator } from '../../helpers/serve';

/** Whether anything accepts connections at `base` (its listening socket is open). */
const accepting = (base: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(base);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

// A window nothing here waits out: the budget is what the calls spend, not what the clock gives back.
const WINDOW = 10 * 60_000;

describe('graceful shutdown and restart', () => {
  it('on SIGTERM finishes the deliveries in progress, keeps the queue, and the next run drains it', {
    timeout: 60_000,
  }, async () => {
    // 8 of the account's 100 calls a window, and one drainer worker.
    const { sim, url } = await startSimulator({ rpm: 100, windowMs: WINDOW });
    const env = backendEnv(url, {
      config: {
        // Every call of the 8 is counted below: none goes to a start-up check of the config.
        deskie: { rpm: 100, share: 0.08, windowMs: WINDOW, checkAtStart: false },
        delivery: { concurrency: 1, reconcileAfterSeconds: 1 },
      },
    });
    const first = startEntry('server/runtimes/node.ts', env);
    const [, base] = await first.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
    // Reading the form's fields: 1 call (each visitor after that is shown the form from the cache).
    const formToken = async () =>
      ((await (await fetch(`${base}/v1/forms/support`)).json()) as { formToken: string }).formToken;
    await formToken();
    const submit = async (i: number) =>
      fetch(`${base}/v1/forms/support/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `term-key-${i}` },
        body: JSON.stringify({
          formToken: await formToken(),
          values: validValues({ subject: `Request ${i}` }),
        }),
      });

    // Deskie fails request 0 (2 calls); then it holds every answer. The worker's retry of request 0
    // (its create, 2, and first the search for a case it may have made, 1) is held: the worker is
    // busy until the test lets Deskie go, so it picks up nothing else.
    sim.setFaults({ errorRate: 1 });
    expect((await submit(0)).status).toBe(202);
    sim.setFaults({ errorRate: 0, hold: true });
    await vi.waitFor(() => expect(sim.held).toBe(1), PATIENCE);
    // Request 3's fast path takes the last 2 calls of the budget and is held too.
    const inFlight = submit(3);
    await vi.waitFor(() => expect(sim.held).toBe(2), PATIENCE);
    // No budget is left: two more submissions wait in the queue, and nothing can take them.
    expect((await submit(1)).status).toBe(202);
    expect((await submit(2)).status).toBe(202);
    expect(sim.held).toBe(2);

    // SIGTERM while both deliveries are held: the backend stops listening at once, then waits for them.
    first.child.kill('SIGTERM');
    await vi.waitFor(async () => expect(await accepting(base!)).toBe(false), PATIENCE);
    sim.setFaults({ hold: false });
    expect((await inFlight).status).toBe(201);
    expect(await first.exited).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    // The two in progress went out; the queued two wait in the outbox for the next run.
    expect(sim.state.cases.map((k) => k.subject).sort()).toEqual(['Request 0', 'Request 3']);

    // The next run, on the same outbox with the whole budget, delivers them, each once.
    const second = startEntry('server/runtimes/node.ts', {
      ...backendEnv(url, {
        config: { deskie: { rpm: 100, share: 1, windowMs: WINDOW, checkAtStart: false } },
      }),
      DESKIE_FORM_DATABASE: env.DESKIE_FORM_DATABASE!,
    });
    const [, next] = await second.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
    await vi.waitFor(async () => {
      const ready = (await (await fetch(`${next}/readyz`)).json()) as { outbox?: { pending: number } };
      expect(ready.outbox?.pending).toBe(0);
    }, PATIENCE);
    expect(sim.state.cases.map((k) => k.subject).sort()).toEqual([
      'Request 0',
      'Request 1',
      'Request 2',
      'Request 3',
    ]);
  });
});
