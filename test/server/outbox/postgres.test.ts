/**
 * Several backend instances on one PostgreSQL outbox: they share the queue (each submission
 * delivered once) and the account's rate budget (together they never draw a 429).
 */
import { describe, expect, it } from 'vitest';
import { validValues } from '../../helpers/backend';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';
import { backendEnv, startEntry } from '../../helpers/process';
import { startSimulator } from '../../helpers/serve';

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
        delivery: { concurrency: 3, leaseSeconds: 5 },
        limits: { submissions: { limit: 100_000, windowSeconds: 60 } },
      },
    });
    const instances = [
      startEntry('server/runtimes/node.ts', env),
      startEntry('server/runtimes/node.ts', env),
    ];
    const bases = await Promise.all(
      instances.map(async (i) => (await i.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/))[1]!),
    );
    const { formToken } = (await (await fetch(`${bases[0]}/v1/forms/support`)).json()) as {
      formToken: string;
    };

    const answers = await Promise.all(
      Array.from({ length: SUBMISSIONS }, (_, i) =>
        fetch(`${bases[i % 2]}/v1/forms/support/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `pg-key-${i}` },
          body: JSON.stringify({
            formToken,
            values: validValues({ subject: `Shared ${i}`, email: `v${i}@example.com` }),
          }),
        }).then((r) => r.status),
      ),
    );
    expect(answers.every((s) => s === 201 || s === 202)).toBe(true);
    expect(answers.filter((s) => s === 202).length).toBeGreaterThan(0);

    for (let waited = 0; waited < 60_000 && sim.state.cases.length < SUBMISSIONS; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    // A moment more: a duplicate would show up now.
    await new Promise((r) => setTimeout(r, 1_500));
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
