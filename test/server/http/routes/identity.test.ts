/**
 * Signed-in customers: the identity the owner's server signs replaces what the form says and gives
 * the case the customer's id; "My requests" lists every case Deskie has for them, a page at a time,
 * cheaply. A token forged, altered, expired or sent where nobody is signed in is refused with a
 * typed 401 — never taken as an ordinary visitor.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { startBackend, validValues } from '../../../helpers/backend';
import { customer, IDENTITY_SECRET, signIdentity } from '../../../helpers/identity';

const t = await startBackend({
  parts: { identitySecret: IDENTITY_SECRET },
  config: { lookups: { cacheSeconds: 30 } },
});
beforeEach(() => t.sim.state.reset());

const filedAs = (identityToken: string, values = validValues()) =>
  t.submit(values, { extra: { identityToken } });
const myRequests = (identityToken: string, page?: number, backend = t) =>
  backend.app.request('/v1/forms/support/requests', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identityToken, ...(page ? { page } : {}) }),
  });
const errorOf = async (answer: Response) => ((await answer.json()) as { error: { code: string } }).error.code;

describe('a signed-in customer files a request', () => {
  it('as the site says: its email and name, whatever the form sent, and its id on the user', async () => {
    const answer = await filedAs(
      signIdentity(customer(t.clock.now())),
      validValues({ email: 'typed@example.com' }),
    );
    expect(answer.status).toBe(201);
    const [kase] = t.sim.state.cases;
    const user = t.sim.state.users.find((u) => u.user_id === kase?.user_id);
    expect(user).toMatchObject({
      user_email: 'bea@example.com',
      user_full_name: 'Bea Customer',
      user_custom_id: 'user-42',
    });
  });

  it('needs no email typed: the form is checked with the verified one', async () => {
    const token = signIdentity(customer(t.clock.now()));
    const answer = await filedAs(token, validValues({ email: '', name: '' }));
    expect(answer.status).toBe(201);
    expect(t.sim.state.users[0]?.user_email).toBe('bea@example.com');
  });

  it.each([
    [
      'signed with another secret',
      () => signIdentity(customer(t.clock.now()), 'x'.repeat(40)),
      'IDENTITY_INVALID',
    ],
    [
      'altered after signing',
      () => {
        const [h, , s] = signIdentity(customer(t.clock.now())).split('.');
        const claims = Buffer.from(JSON.stringify(customer(t.clock.now(), { email: 'eve@example.com' })));
        return `${h}.${claims.toString('base64url')}.${s}`;
      },
      'IDENTITY_INVALID',
    ],
    [
      'unsigned (alg none)',
      () =>
        `${signIdentity(customer(t.clock.now()), IDENTITY_SECRET, { alg: 'none' }).split('.').slice(0, 2).join('.')}.`,
      'IDENTITY_INVALID',
    ],
    [
      'without an email',
      () => signIdentity(customer(t.clock.now(), { email: undefined })),
      'IDENTITY_INVALID',
    ],
    [
      'living longer than a day',
      () => signIdentity(customer(t.clock.now(), { exp: Math.floor(t.clock.now() / 1000) + 3 * 86_400 })),
      'IDENTITY_INVALID',
    ],
    ['not a token', () => 'garbage', 'IDENTITY_INVALID'],
    [
      'expired',
      () => signIdentity(customer(t.clock.now(), { exp: Math.floor(t.clock.now() / 1000) - 120 })),
      'IDENTITY_EXPIRED',
    ],
  ])('refuses a token %s with 401, filing nothing', async (_, token, code) => {
    const answer = await filedAs(token());
    expect(answer.status).toBe(401);
    expect(await errorOf(answer)).toBe(code);
    await t.drainer.drainDue();
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it('refuses any identity where the site signs nobody in: 401, never an ordinary visitor', async () => {
    const plain = await startBackend();
    const answer = await plain.submit(validValues(), {
      extra: { identityToken: signIdentity(customer(plain.clock.now())) },
    });
    expect(answer.status).toBe(401);
    expect(await errorOf(answer)).toBe('IDENTITY_INVALID');
    expect(plain.sim.state.cases).toHaveLength(0);
    expect(await errorOf(await myRequests(signIdentity(customer(plain.clock.now())), 1, plain))).toBe(
      'IDENTITY_INVALID',
    );
  });
});

describe('"My requests"', () => {
  /** A case filed for `email` straight in Deskie (another channel, another device). */
  const elsewhere = (email: string, subject: string) =>
    t.sim.state.createCase({
      user_email: email,
      subject,
      content: 'x',
      custom_fields: {},
      labels: [],
      files: [],
    });

  it("lists all the customer's cases, newest first, each openable by its token — nobody else's", async () => {
    elsewhere('bea@example.com', 'By email last week');
    elsewhere('xbea@example.com', 'Someone else, similar address');
    elsewhere('carl@example.com', 'Someone else');
    const token = signIdentity(customer(t.clock.now()));
    t.clock.advance(1_000);
    expect((await filedAs(token)).status).toBe(201);
    const answer = await myRequests(token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = (await answer.json()) as {
      customer: unknown;
      requests: {
        subject: string;
        status: string;
        statusLabel: string;
        lookupToken: string;
        caseNumber: string;
      }[];
      total: number;
      page: number;
      pageSize: number;
    };
    expect(body.customer).toEqual({ email: 'bea@example.com', name: 'Bea Customer' });
    expect(body.requests.map((r) => r.subject)).toEqual(['The parcel never came', 'By email last week']);
    expect(body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(body.requests[0]).toMatchObject({ status: 'open', statusLabel: 'In progress' });
    // Each opens like a lookup token: from this device or any other.
    const status = await t.lookup({ token: body.requests[1]!.lookupToken });
    expect(await status.json()).toMatchObject({ caseNumber: body.requests[1]!.caseNumber });
  });

  it('pages by 20; a page costs one read, and nothing while it is kept', async () => {
    // Another customer: what was read for Bea above is still kept.
    const dana = (now: number) => signIdentity(customer(now, { email: 'dana@example.com' }));
    for (let i = 0; i < 25; i++) elsewhere('dana@example.com', `Request ${i}`);
    const token = dana(t.clock.now());
    const before = t.sim.stats.requests;
    const first = (await (await myRequests(token)).json()) as { requests: unknown[]; total: number };
    expect(first.requests).toHaveLength(20);
    expect(first.total).toBe(25);
    expect(t.sim.stats.requests - before).toBe(1);
    const second = (await (await myRequests(token, 2)).json()) as { requests: { subject: string }[] };
    expect(second.requests.map((r) => r.subject)).toEqual([4, 3, 2, 1, 0].map((i) => `Request ${i}`));
    expect(t.sim.stats.requests - before).toBe(2);
    await myRequests(token);
    await myRequests(token, 2);
    expect(t.sim.stats.requests - before).toBe(2);
    t.clock.advance(31_000);
    await myRequests(dana(t.clock.now()));
    expect(t.sim.stats.requests - before).toBe(3);
  });

  it('refuses a forged, expired or missing identity with a typed error', async () => {
    const forged = await myRequests(
      signIdentity(customer(t.clock.now(), { email: 'carl@example.com' }), 'y'.repeat(40)),
    );
    expect(forged.status).toBe(401);
    expect(await errorOf(forged)).toBe('IDENTITY_INVALID');
    const expired = await myRequests(signIdentity(customer(t.clock.now(), { exp: 1 })));
    expect(expired.status).toBe(401);
    expect(await errorOf(expired)).toBe('IDENTITY_EXPIRED');
    const none = await t.app.request('/v1/forms/support/requests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(400);
    expect(await errorOf(none)).toBe('BAD_REQUEST');
  });
});
