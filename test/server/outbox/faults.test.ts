/**
 * Delivery through Deskie failures: 5xx, timeouts, connections dropped after the case was created,
 * 429 storms. Whatever happens, every accepted submission becomes exactly one case.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../server/config/schema';
import { createLogger } from '../../../server/core/log';
import { openPostgres } from '../../../server/db/postgres';
import { openSqlite } from '../../../server/db/sqlite';
import { createOutboxStore } from '../../../server/outbox/store';
import type { OutboxStore } from '../../../server/outbox/types';
import { createGovernor } from '../../../server/rate/governor';
import { memoryCounters } from '../../../server/rate/limits';
import { createBackend } from '../../../server/runtimes/backend';
import { type FaultSettings, noFaults } from '../../../server/simulator/faults';
import { DEMO_CONFIG, manualTimeouts, SECRET, validValues } from '../../helpers/backend';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';
import { PATIENCE, startSimulator } from '../../helpers/serve';

const SUBMISSIONS = 40;

interface RunOptions {
  /** How many requests the faults must strike before Deskie recovers. */
  strikes: number;
  /** The simulator's plan and window. Default: a plan nothing here can exhaust. */
  plan?: Parameters<typeof startSimulator>[0];
}

/**
 * Accepts SUBMISSIONS requests while `faults` are on, until they have struck `strikes` requests;
 * then Deskie recovers, the requests it never answered time out, and the drainer delivers the rest.
 * Reports what Deskie holds.
 */
async function run(
  openStore: () => Promise<OutboxStore>,
  faults: Partial<FaultSettings>,
  options: RunOptions,
) {
  const { strikes, plan = { rpm: 1_000_000 } } = options;
  const { sim, url } = await startSimulator(plan);
  const logs: string[] = [];
  const log = createLogger((line) => logs.push(line));
  const config = parseConfig({
    ...DEMO_CONFIG,
    forms: [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 0 }],
    // One form token files the whole burst: what is measured is delivery, not the token's cap.
    limits: { submissions: { limit: 10_000, windowSeconds: 60 }, submissionsPerFormToken: 10_000 },
    // The simulator makes a case at once or never: half a second is enough to look for it.
    delivery: { reconcileAfterSeconds: 0.5 },
  });
  const outbox = await openStore();
  // Requests time out when the test says so, never because the machine is slow; `sending` counts
  // those on their way or waiting for an answer.
  const timeouts = manualTimeouts();
  let sending = 0;
  const counted: typeof fetch = async (input, init) => {
    sending += 1;
    try {
      return await fetch(input, init);
    } finally {
      sending -= 1;
    }
  };
  const { app, drainer } = createBackend({
    config,
    account: { baseUrl: url, staffEmail: 'demo@example.com', apiKey: 'demo-key' },
    secret: SECRET,
    storage: {
      outbox,
      governor: createGovernor({ rpm: sim.limiter.rpm, windowMs: plan.windowMs }),
      counters: memoryCounters,
    },
    log,
    instanceId: 'drainer',
    clientIp: () => '127.0.0.1',
    concurrency: 3,
    deskie: { fetch: counted, timeoutSignal: timeouts.signal, readAttempts: 2, backoffMs: 20 },
    drainer: { backoff: { baseMs: 20, maxMs: 200 }, pollMs: 20 },
  });
  const { formToken } = (await (await app.request('/v1/forms/support')).json()) as { formToken: string };

  sim.setFaults(faults);
  drainer.start();
  const answering = Promise.all(
    Array.from({ length: SUBMISSIONS }, (_, i) =>
      app.request('/v1/forms/support/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `fault-key-${i}` },
        body: JSON.stringify({ formToken, values: validValues({ subject: `Request ${i}` }) }),
      }),
    ),
  );
  // The faults do their damage, however long this machine takes for it; then Deskie recovers.
  await vi.waitFor(() => expect(sim.stats.faulted).toBeGreaterThanOrEqual(strikes), PATIENCE);
  sim.setFaults(noFaults());
  // Once every request still out is one Deskie will never answer, they all time out. An answer on
  // its way is never cut off: a case Deskie is still making would not be found by the search a
  // timeout leads to, and would be made twice — which no timeout of a real client prevents either.
  await vi.waitFor(() => {
    expect(sending).toBe(sim.stats.hanging);
    timeouts.expire();
  }, PATIENCE);
  const answers = await answering;
  await vi.waitFor(async () => expect((await outbox.stats()).pending).toBe(0), PATIENCE);
  await drainer.stop();
  const rows = await outbox.list({ limit: 1000 });
  const references = sim.state.cases.map(
    (k) => /Reference: (sub_\w+)/.exec(sim.state.messagesOf(k)[0]?.content ?? '')?.[1],
  );
  await outbox.close();
  return { answers, rows, references, sim, logs };
}

/** Every accepted submission is delivered, and Deskie holds exactly one case for each. */
function expectExactlyOnce({ answers, rows, references }: Awaited<ReturnType<typeof run>>) {
  expect(answers.every((a) => a.status === 201 || a.status === 202)).toBe(true);
  expect(rows).toHaveLength(SUBMISSIONS);
  expect(
    rows.filter((r) => r.status !== 'delivered').map((r) => `${r.id} ${r.status} ${r.last_error}`),
  ).toEqual([]);
  expect(references).toHaveLength(SUBMISSIONS);
  expect(new Set(references).size).toBe(SUBMISSIONS);
  expect(new Set(references)).toEqual(new Set(rows.map((r) => r.id)));
}

const engines: [string, () => Promise<OutboxStore>][] = [
  ['SQLite', async () => createOutboxStore(await openSqlite(':memory:'))],
];
if (postgresUrl)
  engines.push(['PostgreSQL', async () => createOutboxStore(await openPostgres(await freshDatabase()))]);
else
  describe.skip('faults with PostgreSQL (no server: set DESKIE_TEST_POSTGRES_URL, as .ci/run does)', () => {});

describe.each(engines)('exactly once through Deskie faults, outbox on %s', (_, openStore) => {
  it('5xx answers', async () => {
    const result = await run(openStore, { errorRate: 0.4 }, { strikes: 3 });
    expectExactlyOnce(result);
    expect(result.rows.some((r) => r.attempts > 1)).toBe(true);
  });

  it('timeouts: requests that never get an answer', async () => {
    // A hung request holds its worker until it times out: one is enough to go on.
    const result = await run(openStore, { hangRate: 0.3 }, { strikes: 1 });
    expectExactlyOnce(result);
    // The hung ones timed out and were delivered later, after a search for what they may have made.
    expect(result.logs.some((l) => l.includes('DESKIE_TIMEOUT'))).toBe(true);
  });

  it('commit-then-drop: the case is created and the connection dies before the answer', async () => {
    const result = await run(openStore, { dropAfterCommitRate: 0.5 }, { strikes: 3 });
    expectExactlyOnce(result);
    // Some were found again by their reference instead of being sent twice.
    expect(result.logs.filter((l) => l.includes('"how":"reconciled"')).length).toBeGreaterThan(0);
  });

  it('a 429 storm', async () => {
    const result = await run(
      openStore,
      { forced429: 60 },
      { strikes: 20, plan: { rpm: 1_000_000, windowMs: 600 } },
    );
    expectExactlyOnce(result);
    expect(result.sim.stats.throttled).toBeGreaterThanOrEqual(20);
  });

  it('all at once, on a small plan with a compressed minute', async () => {
    const result = await run(
      openStore,
      { errorRate: 0.2, hangRate: 0.1, dropAfterCommitRate: 0.2 },
      { strikes: 3, plan: { rpm: 60, windowMs: 600 } },
    );
    expectExactlyOnce(result);
  });
});
