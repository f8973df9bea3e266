/**
 * The backend is killed with SIGKILL at random moments while 300 submissions arrive, and restarted
 * each time. Clients retry with the same Idempotency-Key, as the widget does. In the end Deskie
 * holds exactly one case per submission.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { validValues } from '../../helpers/backend';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';
import { backendEnv, type Started, startEntry } from '../../helpers/process';
import { startSimulator } from '../../helpers/serve';

const SUBMISSIONS = 300;
const KILLS = 6;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const engines: [string, () => Promise<string | undefined>][] = [['SQLite', async () => undefined]];
if (postgresUrl) engines.push(['PostgreSQL', () => freshDatabase()]);
else
  describe.skip('kill -9 with PostgreSQL (no server: set DESKIE_TEST_POSTGRES_URL, as .ci/run does)', () => {});

describe.each(engines)('kill -9 during a burst, outbox on %s', (_, database) => {
  it('turns every submission into exactly one case', { timeout: 150_000 }, async () => {
    const { sim, url } = await startSimulator({
      rpm: 1_000_000,
      staffEmail: 'owner@shop.example',
      apiKey: 'key-123',
    });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...backendEnv(url, {
        email: 'owner@shop.example',
        key: 'key-123',
        database: await database(),
        config: {
          deskie: { rpm: 1_000_000 },
          // A killed instance's leases run out quickly (PostgreSQL leaves them to expire).
          delivery: { leaseSeconds: 2 },
          limits: { submissions: { limit: 100_000, windowSeconds: 60 } },
        },
      }),
      PORT: String(port),
    };
    const boot = async () => {
      const backend = startEntry('server/runtimes/node.ts', env);
      await backend.waitFor(/deskie-form on/, 30_000);
      return backend;
    };
    let backend: Started = await boot();
    const { formToken } = (await (await fetch(`${base}/v1/forms/support`)).json()) as { formToken: string };

    let accepted = 0;
    let next = 0;
    const submitOne = async (i: number) => {
      for (;;) {
        try {
          const answer = await fetch(`${base}/v1/forms/support/submissions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `kill-test-${i}` },
            body: JSON.stringify({
              formToken,
              values: validValues({ subject: `Burst ${i}`, email: `visitor${i % 7}@example.com` }),
            }),
          });
          if (answer.status === 201 || answer.status === 202) {
            accepted += 1;
            return;
          }
          await answer.body?.cancel();
        } catch {
          // The backend is down: retry the same submission with the same key, as a browser would.
        }
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    const clients = Array.from({ length: 8 }, async () => {
      while (next < SUBMISSIONS) await submitOne(next++);
    });

    let kills = 0;
    const killer = (async () => {
      while (kills < KILLS && accepted < SUBMISSIONS) {
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 350));
        backend.child.kill('SIGKILL');
        await backend.exited;
        kills += 1;
        backend = await boot();
      }
    })();
    await Promise.all(clients);
    await killer;

    // Everything was accepted; the last run drains what the killed ones left behind.
    for (let waited = 0; waited < 60_000; waited += 200) {
      const ready = (await (await fetch(`${base}/readyz`)).json()) as { outbox?: { pending: number } };
      if (ready.outbox?.pending === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(accepted).toBe(SUBMISSIONS);
    const subjects = sim.state.cases.map((k) => k.subject);
    expect(subjects).toHaveLength(SUBMISSIONS);
    expect(new Set(subjects).size).toBe(SUBMISSIONS);
    const references = sim.state.cases.map(
      (k) => /Reference: (sub_\w+)/.exec(sim.state.messagesOf(k)[0]?.content ?? '')?.[1],
    );
    expect(new Set(references).size).toBe(SUBMISSIONS);
  });
});
