/** Retention as a deployment runs it: what a visitor and an operator still get once the payload is gone. */
import { describe, expect, it } from 'vitest';
import { startBackend, validValues } from '../../helpers/backend';

const DAY = 24 * 3600_000;

describe('retention', () => {
  it('drops a delivered submission after deliveredDays; its repeat and its lookup still answer', async () => {
    const t = await startBackend();
    const key = { 'idempotency-key': 'retention-key-1' };
    const { formToken } = await t.getForm();
    const first = await t.submit(validValues(), { token: formToken, headers: key });
    expect(first.status).toBe(201);
    const { caseNumber, lookupToken } = (await first.json()) as { caseNumber: string; lookupToken: string };

    t.clock.advance(6 * DAY);
    expect(await t.purge()).toBe(0);
    t.clock.advance(2 * DAY);
    expect(await t.purge()).toBe(1);
    const [row] = await t.outbox.list({});
    expect(row).toMatchObject({ payload: null, case_number: caseNumber });
    expect(t.logs.some((l) => l.includes('"msg":"outbox retention"') && l.includes('"purged":1'))).toBe(true);

    // The same request sent again (a fresh form, the same key): answered from what was kept.
    const again = await t.submit(validValues(), { headers: key });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ caseNumber });
    expect(await (await t.lookup({ token: lookupToken })).json()).toMatchObject({ caseNumber });
    expect(t.sim.state.cases).toHaveLength(1);
  });

  it('keeps a dead letter deadDays for an operator, then drops it', async () => {
    const t = await startBackend({ config: { retention: { deliveredDays: 7, deadDays: 2 } } });
    t.sim.state.seed.labels.length = 0; // every case is refused: label 101 is gone
    expect((await t.submit(validValues())).status).toBe(202);
    expect(await t.outbox.list({ status: 'dead' })).toHaveLength(1);
    t.clock.advance(DAY);
    expect(await t.purge()).toBe(0);
    t.clock.advance(2 * DAY);
    expect(await t.purge()).toBe(1);
    const [dead] = await t.outbox.list({ status: 'dead' });
    expect(dead?.payload).toBeNull();
    expect(await t.outbox.retry(dead?.id ?? '', t.clock.now())).toBe(false);
  });
});
