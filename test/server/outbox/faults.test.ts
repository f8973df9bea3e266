/**
 * Delivery through Deskie failures: 5xx, timeouts, connections dropped after the case was created,
 * 429 storms. Whatever happens, every accepted submission becomes exactly one case.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../server/config/schema';
import { createLogger } from '../../../server/core/log';
import { openPostgres } from '../../../server/db/postgres';
import { openSqlite } from '../../../server/db/sqlite';
import { createOutboxStore } from '../../../server/outbox/store';
import type { OutboxStore } from '../../../server/outbox/types';
import { createGovernor } from '../../../server/rate/governor';
import { memoryCounters } from '../../../server/rate/limits';
import { createBackend } from '../../../server/runtimes/backend';
import type { FaultSettings } from '../../../server/simulator/faults';
import { DEMO_CONFIG, SECRET, validValues } from '../../helpers/backend';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';
import { startSimulator } from '../../helpers/serve';

const SUBMISSIONS = 40;

/** Accepts SUBMISSIONS requests while `faults` are on, then drains with faults off; reports what Deskie holds. */
async function run(
  openStore: () => Promise<OutboxStore>,
  faults: Partial<FaultSettings>,
  simOptions: Parameters<typeof startSimulator>[0] = { rpm: 1_000_000 },
) {
  const { sim, url } = await startSimulator(simOptions);
  const logs: string[] = [];
  const log = createLogger((line) => logs.push(line));
  const config = parseConfig({
    ...DEMO_CONFIG,
    forms: [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 0 }],
    limits: { submissions: { limit: 10_000, windowSeconds: 60 } },
  });
  const outbox = await openStore();
  const { app, drainer } = createBackend({
    config,
    account: { baseUrl: url, staffEmail: 'demo@example.com', apiKey: 'demo-key' },
    secret: SECRET,
    storage: {
      outbox,
      governor: createGovernor({ rpm: sim.limiter.rpm, windowMs: simOptions.windowMs }),
      counters: memoryCounters,
    },
    log,
    instanceId: 'drainer',
    clientIp: () => '127.0.0.1',
    concurrency: 3,
    deskie: { timeoutMs: 300, readAttempts: 2, backoffMs: 20 },
    drainer: { backoff: { baseMs: 20, maxMs: 200 }, pollMs: 20 },
  });
  const { formToken } = (await (await app.request('/v1/forms/support')).json()) as { formToken: string };

  sim.setFaults(faults);
  drainer.start();
  const answers = await Promise.all(
    Array.from({ length: SUBMISSIONS }, (_, i) =>
      app.request('/v1/forms/support/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `fault-key-${i}` },
        body: JSON.stringify({ formToken, values: validValues({ subject: `Request ${i}` }) }),
      }),
    ),
  );
  // Let the faults do their damage for a while, then let Deskie recover.
  await new Promise((r) => setTimeout(r, 400));
  sim.setFaults({
    errorRate: 0,
    hangRate: 0,
    dropAfterCommitRate: 0,
    forced429: 0,
    failNext: 0,
    latencyMs: 0,
  });
  for (let waited = 0; waited < 20_000; waited += 50) {
    const stats = await outbox.stats();
    if (stats.pending === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
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
    const result = await run(openStore, { errorRate: 0.4 });
    expectExactlyOnce(result);
    expect(result.rows.some((r) => r.attempts > 1)).toBe(true);
  });

  it('timeouts: requests that never get an answer', async () => {
    const result = await run(openStore, { hangRate: 0.3 });
    expectExactlyOnce(result);
  });

  it('commit-then-drop: the case is created and the connection dies before the answer', async () => {
    const result = await run(openStore, { dropAfterCommitRate: 0.5 });
    expectExactlyOnce(result);
    // Some were found again by their reference instead of being sent twice.
    expect(result.logs.filter((l) => l.includes('"how":"reconciled"')).length).toBeGreaterThan(0);
  });

  it('a 429 storm', async () => {
    const result = await run(openStore, { forced429: 60 }, { rpm: 1_000_000, windowMs: 600 });
    expectExactlyOnce(result);
    expect(result.sim.stats.throttled).toBeGreaterThan(0);
  });

  it('all at once, on a small plan with a compressed minute', async () => {
    const result = await run(
      openStore,
      { errorRate: 0.2, hangRate: 0.1, dropAfterCommitRate: 0.2 },
      { rpm: 60, windowMs: 600 },
    );
    expectExactlyOnce(result);
  });
});
