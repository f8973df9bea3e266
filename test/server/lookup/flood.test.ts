/**
 * A flood of status lookups — one address, within its per-address limit, each lookup costing Deskie
 * reads — must not push a new visitor's request from 201 to 202: lookups use only their share of
 * the account's budget, and one that cannot be served soon is told when to come back (503 with
 * Retry-After) instead of waiting in front of the cases.
 */
import { describe, expect, it } from 'vitest';
import { startBackend, validValues } from '../../helpers/backend';

describe('a flood of lookups', () => {
  it('leaves the cases their budget: a new visitor still gets a case at once', async () => {
    const t = await startBackend({
      planBudget: true,
      config: {
        // 20 calls a minute for this backend; lookups may use 10 of them; nothing kept between lookups.
        deskie: { plan: 'basic', agents: 1, share: 1 },
        lookups: { budgetShare: 0.5, waitSeconds: 3, cacheSeconds: 0 },
        limits: {
          submissions: { limit: 100, windowSeconds: 60 },
          lookups: { limit: 30, windowSeconds: 60 },
          lookupFailuresPerCase: { limit: 100, windowSeconds: 3600 },
        },
      },
    });
    const filed = await t.submit(validValues());
    expect(filed.status).toBe(201);
    const { caseNumber } = (await filed.json()) as { caseNumber: string };
    const before = t.sim.stats.requests;

    // Thirty lookups at once from one address, its whole per-minute allowance.
    const flood = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.lookup({ caseNumber, email: 'ann@example.com' }, { 'x-test-ip': '203.0.113.66' }),
      ),
    );
    const statuses = flood.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    const turnedAway = flood.filter((a) => a.status === 503);
    expect(turnedAway.length + statuses.filter((s) => s === 200).length).toBe(30);
    for (const answer of turnedAway) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('DESKIE_UNAVAILABLE');
    }
    // The lookups read no more than their share (10 calls, 3 of them spent before the flood).
    expect(t.sim.stats.requests - before).toBeLessThanOrEqual(10);

    // A new visitor: the case is created while they wait.
    const next = await t.submit(validValues({ email: 'bob@example.com', subject: 'During the flood' }));
    expect(next.status).toBe(201);
    expect(t.sim.state.cases.map((k) => k.subject)).toContain('During the flood');
  });
});
