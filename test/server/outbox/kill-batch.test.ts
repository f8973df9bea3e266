/**
 * Killed with SIGKILL at a fixed point of group commit: a batch of submissions written to the
 * SQLite file in one statement, its sync under way, none of them answered. After the restart every
 * client retries with its Idempotency-Key (as the widget does): each submission is stored exactly
 * once — none lost, none twice — and delivery files exactly one case for each.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/core/log';
import { openSqlite } from '../../../server/db/sqlite';
import { createDrainer } from '../../../server/outbox/drainer';
import { createOutboxStore } from '../../../server/outbox/store';
import { createGovernor } from '../../../server/rate/governor';
import { manualClock } from '../../helpers/backend';
import { startEntry } from '../../helpers/process';
import { startSimulator } from '../../helpers/serve';

const SUBMISSIONS = 20;

describe('kill -9 during a batched commit (SQLite)', () => {
  it('stores each submission of the batch once after retries, and files one case for each', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deskie-kill-batch-')), 'outbox.sqlite');
    // The first submission's sync (after the schema's) goes through; the batch of the other 19 hangs.
    const victim = startEntry('test/helpers/batch-victim.ts', {
      DESKIE_TEST_OUTBOX: path,
      DESKIE_TEST_SUBMISSIONS: String(SUBMISSIONS),
      DESKIE_TEST_SYNCS_BEFORE_HANG: '1',
    });
    const [, written] = await victim.waitFor(/syncing with (\d+) rows written/, 30_000);
    victim.child.kill('SIGKILL');
    await victim.exited;
    // The 19 went in one statement, and none of them heard "stored": the answer waits for the sync.
    expect(Number(written), victim.output()).toBe(SUBMISSIONS);
    expect(victim.output().match(/accepted sub_\d+/g)).toEqual(['accepted sub_0']);

    const database = await openSqlite(path);
    const store = createOutboxStore(database);
    const retried = await Promise.all(
      Array.from({ length: SUBMISSIONS }, (_, i) =>
        store.accept(
          {
            id: `sub_retry_${i}`,
            formId: 'support',
            idempotencyKey: `key-${i}`,
            fingerprint: `fp-${i}`,
            payload: { case: { user_email: `v${i}@example.com`, subject: `Batch ${i}`, content: 'x' } },
            now: Date.now(),
          },
          [],
        ),
      ),
    );
    expect(new Set(retried.map((r) => r.row.idempotency_key)).size).toBe(SUBMISSIONS);
    expect((await store.stats()).pending).toBe(SUBMISSIONS);

    const sim = await startSimulator({ rpm: 1_000_000 });
    const drainer = createDrainer({
      ...{
        store,
        deskie: sim.client(),
        governor: createGovernor({ rpm: 1_000_000 }),
        clock: manualClock(Date.now()),
      },
      ...{ random: Math.random, log: silentLogger, owner: 'w', leaseMs: 60_000, reconcileAfterMs: 0 },
    });
    expect(await drainer.drainDue()).toBe(SUBMISSIONS);
    const subjects = sim.sim.state.cases.map((c) => c.subject).sort();
    expect(subjects).toEqual(Array.from({ length: SUBMISSIONS }, (_, i) => `Batch ${i}`).sort());
    await store.close();
  });
});
