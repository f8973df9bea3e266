import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../server/core/log';
import { openSqlite } from '../../../server/db/sqlite';
import type { DeskieClient } from '../../../server/deskie/client';
import type { RateGovernor } from '../../../server/deskie/rate';
import { createDrainer } from '../../../server/outbox/drainer';
import { createOutboxStore } from '../../../server/outbox/store';
import { createGovernor } from '../../../server/rate/governor';
import { manualClock } from '../../helpers/backend';
import { startSimulator } from '../../helpers/serve';

/** A window long enough that nothing here may wait it out: only stopping or aborting ends a wait. */
const WINDOW_MS = 10 * 60_000;

/** An outbox holding one due submission, and a governor whose window's budget is already spent. */
async function spentBudget() {
  const clock = manualClock();
  const outbox = createOutboxStore(await openSqlite(':memory:'));
  const payload = { case: { user_email: 'a@b.co', subject: 's', content: 'c' } };
  await outbox.accept(
    { id: 'sub_1', formId: 'f', idempotencyKey: null, fingerprint: '', payload, now: clock.now() },
    [],
  );
  const inner = createGovernor({ rpm: 2, windowMs: WINDOW_MS, clock });
  (await inner.acquire(2)).settle({});
  // Resolves when a worker starts waiting for budget: the moment the tests are about.
  let waiting = () => {};
  const asked = new Promise<void>((resolve) => {
    waiting = resolve;
  });
  const governor: RateGovernor = {
    acquire: (cost, options) => {
      waiting();
      return inner.acquire(cost, options);
    },
    tryAcquire: (cost) => inner.tryAcquire(cost),
    budget: inner.budget,
  };
  const drainer = (deskie: DeskieClient) =>
    createDrainer({
      ...{ store: outbox, deskie, governor, clock, random: Math.random, log: silentLogger },
      owner: 'w',
      leaseMs: 60_000,
      reconcileAfterMs: 0,
    });
  return { clock, outbox, governor, asked, drainer };
}

const settles = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((resolve) => setTimeout(() => resolve('still waiting'), 20_000)),
  ]);

describe('drainer', () => {
  it('stops at once even while its workers wait a whole window for budget', async () => {
    const { outbox, asked, drainer } = await spentBudget();
    const running = drainer({} as DeskieClient);
    running.start();
    await asked;
    expect(await settles(running.stop())).toBe('resolved');
    expect(await outbox.stats()).toMatchObject({ pending: 1 });
    await outbox.close();
  });

  it('ends a drain at its deadline while waiting for budget, and drains again on the next run', async () => {
    const { clock, outbox, asked, drainer } = await spentBudget();
    const sim = await startSimulator({ rpm: 1_000_000 });
    const running = drainer(sim.client({ governor: createGovernor({ rpm: 1_000_000 }) }));
    const deadline = new AbortController();
    const first = running.drainDue(deadline.signal);
    await asked;
    deadline.abort();
    expect(await settles(first)).toBe('rejected');
    expect(sim.sim.state.cases).toHaveLength(0);
    // The next scheduled run, in the same warm container, is not poisoned by the last one's end.
    clock.advance(WINDOW_MS);
    expect(await running.drainDue(AbortSignal.timeout(20_000))).toBe(1);
    expect(sim.sim.state.cases.map((c) => c.subject)).toEqual(['s']);
    await outbox.close();
  });

  it("answers the visitor with the case when this process's worker leased the submission first", async () => {
    const clock = manualClock();
    const outbox = createOutboxStore(await openSqlite(':memory:'));
    const payload = { case: { user_email: 'a@b.co', subject: 'Raced', content: 'c' } };
    await outbox.accept(
      { id: 'sub_1', formId: 'f', idempotencyKey: null, fingerprint: '', payload, now: clock.now() },
      [],
    );
    // The worker's lease is taken in the database but its answer is held (as a sync of the
    // database file holds it): the visitor's fast path finds the row leased in that moment.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let fastFound: (row: unknown) => void = () => {};
    const fastClaim = new Promise<unknown>((resolve) => {
      fastFound = resolve;
    });
    let workerClaimed = () => {};
    const claimed = new Promise<void>((resolve) => {
      workerClaimed = resolve;
    });
    const store: typeof outbox = {
      ...outbox,
      claim: async (...args) => {
        const row = await outbox.claim(...args);
        if (args[3] === undefined) {
          workerClaimed();
          await held;
        } else fastFound(row);
        return row;
      },
    };
    const sim = await startSimulator({ rpm: 1_000_000 });
    const drainer = createDrainer({
      ...{ store, deskie: sim.client(), governor: createGovernor({ rpm: 1_000_000 }), clock },
      ...{ random: Math.random, log: silentLogger, owner: 'w', leaseMs: 60_000, reconcileAfterMs: 0 },
    });
    const worker = drainer.drainDue();
    await claimed;
    const fast = drainer.tryNow('sub_1');
    // The fast path's own claim found nothing; its answer waits for the worker's lease, not "queued".
    expect(await fastClaim).toBeUndefined();
    release();
    expect(await fast).toMatchObject({ kind: 'delivered', caseNumber: expect.any(String) });
    expect(await worker).toBe(1);
    expect(sim.sim.state.cases.map((c) => c.subject)).toEqual(['Raced']);
    await outbox.close();
  });

  it('wakes a sleeping worker when told that something is due, without waiting out its poll', async () => {
    const outbox = createOutboxStore(await openSqlite(':memory:'));
    const sim = await startSimulator({ rpm: 1_000_000 });
    // Sleeps last as long as the test: only a wake-up (its signal) ends one.
    let asleep = () => {};
    const sleeping = new Promise<void>((resolve) => {
      asleep = resolve;
    });
    const clock = {
      ...manualClock(),
      sleep: (_ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve) => {
          signal?.addEventListener('abort', () => resolve(), { once: true });
          asleep();
        }),
    };
    const drainer = createDrainer({
      ...{ store: outbox, deskie: sim.client(), governor: createGovernor({ rpm: 1_000_000 }), clock },
      ...{ random: Math.random, log: silentLogger, owner: 'w', leaseMs: 60_000, reconcileAfterMs: 0 },
      concurrency: 1,
    });
    drainer.start();
    await sleeping;
    const payload = { case: { user_email: 'a@b.co', subject: 'Woken', content: 'c' } };
    await outbox.accept(
      { id: 'sub_1', formId: 'f', idempotencyKey: null, fingerprint: '', payload, now: clock.now() },
      [],
    );
    drainer.wake();
    await vi.waitFor(() => expect(sim.sim.state.cases.map((c) => c.subject)).toEqual(['Woken']));
    await drainer.stop();
    await outbox.close();
  });
});
