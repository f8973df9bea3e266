/**
 * The rate budget's two lanes: cases (deliveries) may use all of it and go first; visitors' status
 * lookups may use only a share, never wait long for it, and give their place back when they go.
 */
import { describe, expect, it } from 'vitest';
import { BudgetUnavailable } from '../../../server/deskie/rate';
import { createGovernor } from '../../../server/rate/governor';
import { prepaid } from '../../../server/rate/prepaid';
import { manualClock } from '../../helpers/backend';

/** A governor of 20 calls a window, half of them open to lookups, on a clock the test moves. */
function governed() {
  const clock = manualClock();
  return { clock, governor: createGovernor({ rpm: 20, windowMs: 60_000, lookupShare: 0.5, clock }) };
}
const spend = async (
  governor: ReturnType<typeof governed>['governor'],
  cost: number,
  lane: 'lookup' | 'delivery',
) => (await governor.acquire(cost, { lane })).settle({});

describe('rate lanes', () => {
  it('lets lookups take at most their share; deliveries still have the rest', async () => {
    const { governor } = governed();
    for (let i = 0; i < 5; i++) await spend(governor, 2, 'lookup');
    // The lookups' share (10) is spent: the next one is told when to come back, at once.
    const refused = await governor.acquire(2, { lane: 'lookup', maxWaitMs: 3_000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetUnavailable);
    expect((refused as BudgetUnavailable).retryAfterMs).toBeGreaterThan(3_000);
    // Cases: the other ten.
    for (let i = 0; i < 5; i++) expect(await governor.tryAcquire(2)).toBeDefined();
    expect(await governor.tryAcquire(2)).toBeUndefined();
  });

  it('never makes a case wait behind lookups waiting for budget', async () => {
    const { governor } = governed();
    for (let i = 0; i < 4; i++) await spend(governor, 2, 'lookup'); // 8 of the lookups' 10
    const gone = new AbortController();
    const waiting = governor.acquire(4, { lane: 'lookup', signal: gone.signal }).catch(() => 'gave up');
    // A lookup waits for the window; a case that fits is served at once, past it.
    expect(await governor.tryAcquire(2)).toBeDefined();
    gone.abort();
    expect(await waiting).toBe('gave up');
  });

  it('gives a lookup’s place back when its visitor leaves', async () => {
    const { governor } = governed();
    for (let i = 0; i < 5; i++) await spend(governor, 2, 'lookup');
    const left = new AbortController();
    const first = governor.acquire(2, { lane: 'lookup', signal: left.signal });
    const second = governor.acquire(2, { lane: 'lookup', maxWaitMs: 1_000 });
    left.abort();
    await expect(first).rejects.toThrow();
    // The next in line is not held behind the one who left: it is answered (told to come back) at once.
    await expect(second).rejects.toBeInstanceOf(BudgetUnavailable);
  });

  it('gives a lookup its two calls whole at the first, and back if it made none', async () => {
    const { governor } = governed();
    for (let i = 0; i < 4; i++) await spend(governor, 2, 'lookup'); // 8 of the lookups' 10
    const first = prepaid(governor, 2, { lane: 'lookup', maxWaitMs: 1_000 });
    (await first.acquire(1)).settle({});
    // Its second call is already paid for, though another lookup now finds the share spent.
    const second = prepaid(governor, 2, { lane: 'lookup', maxWaitMs: 1_000 });
    await expect(second.acquire(1)).rejects.toBeInstanceOf(BudgetUnavailable);
    (await first.acquire(1)).settle({});
    first.done();
    second.done();
    // A lookup that made no call (a queued request, read from the outbox) spends nothing.
    const idle = prepaid(governor, 2, { lane: 'lookup' });
    idle.done();
    expect(await governor.tryAcquire(2)).toBeDefined();
  });
});
