import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../server/core/clock';
import { silentLogger } from '../../../server/core/log';
import { openSqliteOutbox } from '../../../server/db/sqlite';
import type { DeskieClient } from '../../../server/deskie/client';
import { createDrainer } from '../../../server/outbox/drainer';
import { createGovernor } from '../../../server/rate/governor';
import { startSimulator } from '../../helpers/serve';

describe('drainer', () => {
  it('stops at once even while its workers wait a whole window for budget', async () => {
    const outbox = await openSqliteOutbox(':memory:');
    const payload = JSON.stringify({ case: { user_email: 'a@b.co', subject: 's', content: 'c' } });
    await outbox.accept(
      { id: 'sub_1', formId: 'f', idempotencyKey: null, fingerprint: '', payload, now: 0 },
      [],
    );
    const governor = createGovernor({ rpm: 2 });
    (await governor.acquire(2)).settle({}); // the minute's budget is spent
    const drainer = createDrainer({
      store: outbox,
      deskie: {} as DeskieClient,
      governor,
      clock: systemClock,
      random: Math.random,
      log: silentLogger,
      owner: 'w',
    });
    drainer.start();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await drainer.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await outbox.stats()).toMatchObject({ pending: 1 });
    await outbox.close();
  });

  it('ends a drain at its deadline while waiting for budget, and drains again on the next run', async () => {
    const outbox = await openSqliteOutbox(':memory:');
    const payload = JSON.stringify({ case: { user_email: 'a@b.co', subject: 's', content: 'c' } });
    await outbox.accept(
      { id: 'sub_1', formId: 'f', idempotencyKey: null, fingerprint: '', payload, now: 0 },
      [],
    );
    const governor = createGovernor({ rpm: 2, windowMs: 1_000 });
    (await governor.acquire(2)).settle({}); // this window's budget is spent
    const sim = await startSimulator({ rpm: 1_000_000 });
    const deskie = sim.client({ governor });
    const drainer = createDrainer({
      store: outbox,
      deskie,
      governor,
      clock: systemClock,
      random: Math.random,
      log: silentLogger,
      owner: 'w',
    });
    const started = Date.now();
    await expect(drainer.drainDue(AbortSignal.timeout(100))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(900);
    expect(sim.sim.state.cases).toHaveLength(0);
    // The next scheduled run, in the same warm container, is not poisoned by the last one's end.
    expect(await drainer.drainDue(AbortSignal.timeout(5_000))).toBe(1);
    expect(sim.sim.state.cases.map((c) => c.subject)).toEqual(['s']);
    await outbox.close();
  });
});
