import { beforeEach, describe, expect, it } from 'vitest';
import { createTokens } from '../../../../server/core/tokens';
import { DEMO_CONFIG, startBackend, validValues } from '../../../helpers/backend';

// As deployed: a case read answers further lookups for 30 s (the demo shows every change at once).
const t = await startBackend({ config: { lookups: { cacheSeconds: 30 } } });
beforeEach(() => t.sim.state.reset());

async function file(values = validValues()) {
  const answer = await t.submit(values);
  expect(answer.status).toBe(201);
  return (await answer.json()) as { caseNumber: string; lookupToken: string };
}
const NOT_FOUND = { error: { code: 'NOT_FOUND', message: 'No request matches these details.' } };

describe('status lookup', () => {
  it('by token: shows the customer-facing status, then the new status and support replies, never notes', async () => {
    const { caseNumber, lookupToken } = await file();
    const first = await t.lookup({ token: lookupToken });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const before = (await first.json()) as Record<string, unknown>;
    expect(before).toMatchObject({
      caseNumber,
      subject: 'The parcel never came',
      status: 'open',
      statusLabel: 'In progress',
      replies: [],
    });
    expect(new Date(before.createdAt as string).toISOString()).toBe(before.createdAt);

    const kase = t.sim.state.findCase(caseNumber)!;
    kase.status = 'waiting';
    t.sim.state.addMessage(kase, { staff_id: 1 }, 'Could you send a photo of the label?');
    t.sim.state.addNote(kase, 1, 'Internal: customer is a reseller, demo@example.com knows.');
    // What was read of the case answers lookups for lookups.cacheSeconds (30) from that read — a
    // lookup answered from it does not make it last longer — then Deskie is asked again.
    t.clock.advance(20_000);
    const cached = (await (await t.lookup({ token: lookupToken })).json()) as Record<string, unknown>;
    expect(cached).toMatchObject({ status: 'open', replies: [] });
    t.clock.advance(10_000);
    const after = (await (await t.lookup({ token: lookupToken, locale: 'ru' })).json()) as Record<
      string,
      unknown
    >;
    expect(after).toMatchObject({ status: 'waiting', statusLabel: 'Ждём вашего ответа' });
    expect(after.replies).toEqual([
      { author: 'Support', text: 'Could you send a photo of the label?', createdAt: expect.any(String) },
    ]);
    const text = JSON.stringify(after);
    expect(text).not.toContain('Internal');
    expect(text).not.toContain('demo@example.com');
    expect(text).not.toContain('staff');
  });

  it('by case number and the exact email that filed it', async () => {
    const { caseNumber } = await file();
    await file(validValues({ email: 'xann@example.com' }));
    const answer = await t.lookup({ caseNumber: ` ${caseNumber} `, email: 'ANN@example.com' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ caseNumber, statusLabel: 'In progress' });
  });

  it('answers every miss with the same 404: wrong email, unknown case, bad or foreign token', async () => {
    const { caseNumber, lookupToken } = await file();
    // Signed with another secret: what every old token becomes when the secret is rotated.
    const rotated = createTokens('rotated-secret-rotated-secret-rotated').lookup.issue({
      formId: 'support',
      receipt: 'sub_rotated',
      case: { id: 2000, number: caseNumber },
    });
    const misses = [
      { caseNumber, email: 'someone@example.com' },
      { caseNumber, email: 'nn@example.com' },
      { caseNumber: '999-999999', email: 'ann@example.com' },
      { caseNumber, email: '^ann@example.com' },
      { token: `${lookupToken}x` },
      { token: rotated },
      { token: 'garbage' },
    ];
    for (const body of misses) {
      const answer = await t.lookup(body);
      expect(answer.status, JSON.stringify(body)).toBe(404);
      expect(await answer.json()).toEqual(NOT_FOUND);
    }
  });

  it('a token from one form does not open another', async () => {
    const b = await startBackend({
      config: { forms: [DEMO_CONFIG.forms[0], { ...DEMO_CONFIG.forms[0], id: 'sales' }] },
    });
    const answer = await b.submit(validValues());
    const { lookupToken } = (await answer.json()) as { lookupToken: string };
    expect((await b.lookup({ token: lookupToken }, {}, 'support')).status).toBe(200);
    expect((await b.lookup({ token: lookupToken }, {}, 'sales')).status).toBe(404);
  });

  it('limits failed guesses per case number, whoever guesses, with 429 RATE_LIMITED', async () => {
    const { caseNumber } = await file();
    for (let i = 0; i < 5; i++) {
      const miss = await t.lookup(
        { caseNumber, email: `guess${i}@example.com` },
        { 'x-test-ip': `198.51.100.${i}` },
      );
      expect(miss.status).toBe(404);
    }
    const blocked = await t.lookup(
      { caseNumber, email: 'ann@example.com' },
      { 'x-test-ip': '198.51.100.99' },
    );
    expect(blocked.status).toBe(429);
    const body = (await blocked.json()) as { error: { code: string; retryAfter: number } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.retryAfter).toBeGreaterThan(0);
    expect(blocked.headers.get('retry-after')).toBe(String(body.error.retryAfter));
  });

  it('counts guesses sent at once: after the fifth, every one is refused before Deskie is asked', async () => {
    // A backend of its own: the simulator numbers cases alike after a reset, and counts outlive it.
    const b = await startBackend();
    const filed = await b.submit(validValues());
    const { caseNumber } = (await filed.json()) as { caseNumber: string };
    const before = b.sim.stats.requests;
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        b.lookup({ caseNumber, email: `racer${i}@example.com` }, { 'x-test-ip': `198.51.100.${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    // Only the five counted guesses reached Deskie (one list each).
    expect(b.sim.stats.requests - before).toBe(5);
    const refused = answers.find((a) => a.status === 429);
    const wait = Number(refused?.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(3_500);
    expect(wait).toBeLessThanOrEqual(3_600);
  });

  it('limits lookups per address', async () => {
    const b = await startBackend({ config: { limits: { lookups: { limit: 2, windowSeconds: 60 } } } });
    const ip = { 'x-test-ip': '203.0.113.5' };
    expect((await b.lookup({ token: 'a' }, ip)).status).toBe(404);
    expect((await b.lookup({ token: 'b' }, ip)).status).toBe(404);
    const third = await b.lookup({ token: 'c' }, ip);
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await b.lookup({ token: 'd' }, { 'x-test-ip': '203.0.113.6' })).status).toBe(404);
  });

  it('shows no replies when the form does not', async () => {
    const b = await startBackend({ config: { forms: [{ ...DEMO_CONFIG.forms[0], showReplies: false }] } });
    const { lookupToken, caseNumber } = (await (await b.submit(validValues())).json()) as {
      lookupToken: string;
      caseNumber: string;
    };
    b.sim.state.addMessage(b.sim.state.findCase(caseNumber)!, { staff_id: 1 }, 'Hello');
    const body = (await (await b.lookup({ token: lookupToken })).json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('replies');
  });

  it('refuses a body that is neither a token nor a number and email', async () => {
    const answer = await t.lookup({ caseNumber: '123-456789' });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });

  it('tells the visitor to retry later when Deskie is down', async () => {
    const { lookupToken } = await file();
    t.sim.setFaults({ errorRate: 1 });
    const answer = await t.lookup({ token: lookupToken });
    t.sim.setFaults({ errorRate: 0 });
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('DESKIE_UNAVAILABLE');
  });
});
