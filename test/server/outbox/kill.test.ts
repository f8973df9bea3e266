/**
 * The backend is killed with SIGKILL while 300 submissions arrive — each time another seventh of
 * them has been accepted — and restarted each time. Clients retry with the same Idempotency-Key, as
 * the widget does. In the end Deskie holds exactly one case per submission. With 8 clients the
 * kills land among single writes; with 64 sending at once, submissions are stored in shared
 * batches (group commit) and every kill lands while most of the clients wait on one — each kill
 * waits until at least half of them are in flight.
 */
import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
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

const cases = engines.flatMap(([name, database]) =>
  [8, 64].map((clients) => [name, clients, database] as const),
);

describe.each(cases)('kill -9 during a burst, outbox on %s, %i clients at once', (_, CLIENTS, database) => {
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
          delivery: { leaseSeconds: 2, reconcileAfterSeconds: 1 },
          // One form token files the whole burst: what is measured is delivery, not the token's cap.
          limits: { submissions: { limit: 100_000, windowSeconds: 60 }, submissionsPerFormToken: 100_000 },
        },
      }),
      PORT: String(port),
    };
    // The newest backend is known from the moment it is spawned: whatever accepts a submission is it.
    let backend: Started;
    const boot = async () => {
      backend = startEntry('server/runtimes/node.ts', env);
      await backend.waitFor(/deskie-form on/, 30_000);
    };
    await boot();
    const { formToken } = (await (await fetch(`${base}/v1/forms/support`)).json()) as { formToken: string };

    // Kill points: after 1/7, 2/7, … 6/7 of the submissions were accepted, so every kill lands
    // mid-burst, with work queued and in flight, however fast or slow this machine is.
    const killAt = Array.from({ length: KILLS }, (_, k) => Math.floor((SUBMISSIONS * (k + 1)) / (KILLS + 1)));
    let accepted = 0;
    let inFlight = 0;
    let kills = 0;
    let restarting: Promise<void> | undefined;
    const killIfDue = () => {
      if (restarting || kills >= KILLS || accepted < (killAt[kills] ?? Number.POSITIVE_INFINITY)) return;
      if (inFlight < CLIENTS / 2) return;
      const victim = backend;
      victim.child.kill('SIGKILL');
      kills += 1;
      restarting = (async () => {
        await victim.exited;
        await boot();
        restarting = undefined;
        // The restart may have let the next point pass already.
        killIfDue();
      })();
    };

    let next = 0;
    const submitOne = async (i: number) => {
      for (;;) {
        // Nothing is sent while a killed backend restarts: a burst cannot slip past the next kill
        // point in the moment between the new backend listening and this test hearing of it.
        while (restarting) await restarting;
        inFlight += 1;
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
            killIfDue();
            return;
          }
          await answer.body?.cancel();
        } catch {
          // The backend is down: retry the same submission with the same key, as a browser would.
        } finally {
          inFlight -= 1;
        }
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (next < SUBMISSIONS) await submitOne(next++);
    });
    await Promise.all(clients);
    while (restarting) await restarting;

    // Everything was accepted; the last run drains what the killed ones left behind (a lease of a
    // killed run on PostgreSQL first has to run out).
    expect(kills).toBe(KILLS);
    expect(accepted).toBe(SUBMISSIONS);
    await vi.waitFor(
      async () => {
        const ready = (await (await fetch(`${base}/readyz`)).json()) as { outbox?: { pending: number } };
        expect(ready.outbox?.pending).toBe(0);
      },
      { timeout: 60_000, interval: 200 },
    );
    const subjects = sim.state.cases.map((k) => k.subject);
    expect(subjects).toHaveLength(SUBMISSIONS);
    expect(new Set(subjects).size).toBe(SUBMISSIONS);
    const references = sim.state.cases.map(
      (k) => /Reference: (sub_\w+)/.exec(sim.state.messagesOf(k)[0]?.content ?? '')?.[1],
    );
    expect(new Set(references).size).toBe(SUBMISSIONS);
  });
});
