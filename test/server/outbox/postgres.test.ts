/**
 * Several backend instances on one PostgreSQL outbox: they share the queue (each submission
 * delivered once) and the account's rate budget (together they never draw a 429).
 */
import { describe, expect, it, vi } from 'vitest';
import { validValues } from '../../helpers/backend';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';
import { backendEnv, startEntry } from '../../helpers/process';
import { PATIENCE, startSimulator } from '../../helpers/serve';

const SUBMISSIONS = 60;

describe.skipIf(!postgresUrl)('two instances on one PostgreSQL outbox', () => {
  it('deliver every submission exactly once and together stay within the plan', {
    timeout: 90_000,
  }, async () => {
    // A 40-a-minute plan whose minute lasts one second: 60 cases need 3 windows at best.
    const { sim, url } = await startSimulator({ rpm: 40, windowMs: 1_000 });
    const database = await freshDatabase();
    const env = backendEnv(url, {
      database,
      config: {
        deskie: { rpm: 40, share: 1, windowMs: 1_000 },
        delivery: { concurrency: 3, leaseSeconds: 5, reconcileAfterSeconds: 1 },
        // One form token files the whole burst: what is measured is delivery, not the token's cap.
        limits: { submissions: { limit: 100_000, windowSeconds: 60 }, submissionsPerFormToken: 100_000 },
      },
    });
    const instances = [
      startEntry('server/runtimes/node.ts', env),
      startEntry('server/runtimes/node.ts', env),
    ];
    const bases = await Promise.all(
      instances.map(async (i) => (await i.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/))[1]!),
    );
    // Each instance reads the form's fields once, now; after that only cases are sent.
    const tokens = await Promise.all(
      bases.map(async (b) => (await (await fetch(`${b}/v1/forms/support`)).json()) as { formToken: string }),
    );
    const formToken = tokens[0]!.formToken;

    // Deskie holds every answer until the burst is in: a case on its way keeps its share of the
    // budget until it is answered, so however fast or slow this machine is, at most one window's
    // worth (40 calls: 20 cases) goes out at once and the rest must be queued.
    sim.setFaults({ hold: true });
    let answered = 0;
    const answering = Promise.all(
      Array.from({ length: SUBMISSIONS }, (_, i) =>
        fetch(`${bases[i % 2]}/v1/forms/support/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `pg-key-${i}` },
          body: JSON.stringify({
            formToken,
            values: validValues({ subject: `Shared ${i}`, email: `v${i}@example.com` }),
          }),
        }).then((r) => {
          answered += 1;
          return r.status;
        }),
      ),
    );
    // Every submission is answered (queued) or waits for Deskie's answer.
    await vi.waitFor(() => expect(answered + sim.held).toBeGreaterThanOrEqual(SUBMISSIONS), PATIENCE);
    const queuedWhileHeld = answered;
    sim.setFaults({ hold: false });
    const answers = await answering;
    expect(answers.every((s) => s === 201 || s === 202)).toBe(true);
    // Those queued were answered at once, without waiting for Deskie.
    expect(queuedWhileHeld).toBeGreaterThanOrEqual(SUBMISSIONS - 20);
    expect(answers.filter((s) => s === 202).length).toBeGreaterThanOrEqual(SUBMISSIONS - 20);

    // Both instances drain the one outbox until it is empty: no delivery is left to make a duplicate.
    await vi.waitFor(
      async () => {
        for (const b of bases) {
          const ready = (await (await fetch(`${b}/readyz`)).json()) as { outbox?: { pending: number } };
          expect(ready.outbox?.pending).toBe(0);
        }
      },
      { timeout: 60_000, interval: 200 },
    );
    const subjects = sim.state.cases.map((k) => k.subject);
    expect(subjects).toHaveLength(SUBMISSIONS);
    expect(new Set(subjects).size).toBe(SUBMISSIONS);
    expect(sim.stats.throttled).toBe(0);
    // A repeat through the other instance finds the delivered case.
    const repeat = await fetch(`${bases[1]}/v1/forms/support/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'pg-key-0' },
      body: JSON.stringify({
        formToken,
        values: validValues({ subject: 'Shared 0', email: 'v0@example.com' }),
      }),
    });
    expect(repeat.status).toBe(201);
    expect(sim.state.cases).toHaveLength(SUBMISSIONS);
  });
});
