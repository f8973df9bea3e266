import { describe, expect, it } from 'vitest';
import { validValues } from '../../helpers/backend';
import { backendEnv, startEntry } from '../../helpers/process';
import { startSimulator } from '../../helpers/serve';

describe('graceful shutdown and restart', () => {
  it('on SIGTERM finishes the delivery in progress, keeps the queue, and the next run drains it', {
    timeout: 60_000,
  }, async () => {
    const { sim, url } = await startSimulator({ rpm: 1_000_000 });
    const env = backendEnv(url, { config: { deskie: { rpm: 1_000_000 } } });
    const first = startEntry('server/runtimes/node.ts', env);
    const [, base] = await first.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
    const { formToken } = (await (await fetch(`${base}/v1/forms/support`)).json()) as { formToken: string };
    const submit = (i: number) =>
      fetch(`${base}/v1/forms/support/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `term-key-${i}` },
        body: JSON.stringify({ formToken, values: validValues({ subject: `Request ${i}` }) }),
      });

    // Deskie is down: two submissions wait in the queue.
    sim.setFaults({ errorRate: 1 });
    expect((await submit(1)).status).toBe(202);
    expect((await submit(2)).status).toBe(202);
    // Deskie is slow: one delivery is in progress when SIGTERM arrives.
    sim.setFaults({ errorRate: 0, latencyMs: 1_500 });
    const inFlight = submit(3);
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(201);
    expect(await first.exited).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    // The queued two are not due yet (backoff): they wait in the outbox for the next run.
    expect(sim.state.cases.map((k) => k.subject)).toContain('Request 3');
    expect(new Set(sim.state.cases.map((k) => k.subject)).size).toBe(sim.state.cases.length);

    sim.setFaults({ latencyMs: 0 });
    const second = startEntry('server/runtimes/node.ts', env);
    await second.waitFor(/deskie-form on/);
    for (let waited = 0; waited < 20_000 && sim.state.cases.length < 3; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    expect(sim.state.cases.map((k) => k.subject).sort()).toEqual(['Request 1', 'Request 2', 'Request 3']);
  });
});
