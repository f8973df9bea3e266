import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCaptchaVerifier } from '../../../../server/intake/captcha';
import { noFaults } from '../../../../server/simulator/faults';
import { DEMO_CONFIG, startBackend, validValues } from '../../../helpers/backend';
import { listen } from '../../../helpers/serve';

const t = await startBackend();
beforeEach(() => {
  t.sim.state.reset();
  t.sim.setFaults(noFaults());
});

const errorOf = async (answer: Response) =>
  ((await answer.json()) as { error: { code: string; fields?: unknown } }).error;

describe('a submission becomes exactly the case the visitor filed', () => {
  it('creates the case with the submitted fields, labels, group, language and context', async () => {
    const answer = await t.submit(validValues({ message: 'Ordered on Monday.\n<b>Still</b> nothing.' }), {
      headers: { 'user-agent': 'TestBrowser/1.0' },
      extra: {
        locale: 'ru',
        context: {
          pageUrl: 'https://shop.example/orders/7',
          referrer: 'https://search.example/?q=x',
          locale: 'ru-RU',
          extra: { plan: 'gold', 'user.id': 'u-42\nFake: line' },
        },
      },
    });
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { status: string; caseNumber: string; lookupToken: string };
    expect(body.status).toBe('created');
    expect(body.lookupToken).toMatch(/^[\w-]+\.[\w-]+$/);

    expect(t.sim.state.cases).toHaveLength(1);
    const kase = t.sim.state.cases[0]!;
    expect(kase.case_number).toBe(body.caseNumber);
    expect(kase).toMatchObject({
      subject: 'The parcel never came',
      recipient: 'ann@example.com',
      labels: [101],
      group_id: 44,
      language_id: 1,
      custom_fields: { cf_9: '2', cf_5: 'A-1001', cf_12: true },
    });
    expect(t.sim.state.users[0]?.user_full_name).toBe('Ann Example');
    const [first] = t.sim.state.messagesOf(kase);
    expect(first?.content).toBe(
      [
        'Ordered on Monday.',
        '<b>Still</b> nothing.',
        '',
        '—',
        'Page: https://shop.example/orders/7',
        'Referrer: https://search.example/?q=x',
        'Locale: ru-RU',
        'Browser: TestBrowser/1.0',
        'Context plan: gold',
        'Context user.id: u-42 Fake: line',
        `Reference: ${t.outbox ? (await t.outbox.list({}))[0]?.id : ''}`,
      ].join('\n'),
    );
    // Plain text only: the visitor's markup is never sent as HTML.
    expect(first?.content_html).toBe(first?.content);
  });

  it('leaves out context the form does not want, and page URLs that are not http(s)', async () => {
    const t2 = await startBackend({ config: { forms: [{ ...DEMO_CONFIG.forms[0], context: ['pageUrl'] }] } });
    await t2.submit(validValues(), {
      extra: { context: { pageUrl: 'javascript:alert(1)', referrer: 'https://x.example/' } },
    });
    const [first] = t2.sim.state.messagesOf(t2.sim.state.cases[0]!);
    expect(first?.content).toMatch(
      /^Ordered on Monday\.\nStill nothing\.\n\n—\nReference: sub_[a-z2-7]{20}$/,
    );
  });

  it('answers 422 VALIDATION_FAILED naming each field, and files nothing', async () => {
    const answer = await t.submit(
      validValues({ email: 'not-an-email', cf_9: '7', subject: '', message: 'x'.repeat(20_001) }),
    );
    expect(answer.status).toBe(422);
    expect(await errorOf(answer)).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { email: 'INVALID_EMAIL', cf_9: 'INVALID_OPTION', subject: 'REQUIRED', message: 'TOO_LONG' },
    });
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it.each([
    ['a body that is not JSON', { 'content-type': 'application/json' }, '{nope', 400, 'BAD_REQUEST'],
    [
      'a body of the wrong shape',
      { 'content-type': 'application/json' },
      '{"values":[]}',
      400,
      'BAD_REQUEST',
    ],
    ['another media type', { 'content-type': 'text/plain' }, 'hello', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('refuses %s', async (_, headers, body, status, code) => {
    const answer = await t.app.request('/v1/forms/support/submissions', { method: 'POST', headers, body });
    expect(answer.status).toBe(status);
    expect((await errorOf(answer)).code).toBe(code);
  });

  it('refuses an unknown form with 404 FORM_NOT_FOUND', async () => {
    const answer = await t.app.request('/v1/forms/nope/submissions', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(404);
    expect((await errorOf(answer)).code).toBe('FORM_NOT_FOUND');
  });
});

describe('form token and spam checks', () => {
  it('refuses a forged, foreign, missing or day-old form token with FORM_TOKEN_INVALID', async () => {
    const { formToken } = await t.getForm();
    const [payload, mac] = formToken.split('.');
    const forged = `${btoa(JSON.stringify({ f: 'support', t: 0 })).replace(/=+$/, '')}.${mac}`;
    for (const token of [forged, `${payload}.AAAA`, 'garbage', '']) {
      const answer = await t.submit(validValues(), { token });
      expect(answer.status).toBe(400);
      expect((await errorOf(answer)).code).toBe('FORM_TOKEN_INVALID');
    }
    t.clock.advance(25 * 3600_000);
    expect((await errorOf(await t.submit(validValues(), { token: formToken }))).code).toBe(
      'FORM_TOKEN_INVALID',
    );
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it('gives a bot that fills the honeypot an answer it cannot tell from a filed request, and files nothing', async () => {
    const real = (await (await t.submit(validValues())).json()) as {
      caseNumber: string;
      lookupToken: string;
    };
    const answer = await t.submit(validValues({ website: 'https://spam.example', subject: 'Cheap pills' }));
    expect(answer.status).toBe(201);
    const fake = (await answer.json()) as { caseNumber: string; lookupToken: string };
    expect(Object.keys(fake)).toEqual(Object.keys(real));
    expect(fake.caseNumber).toMatch(/^\d{3}-\d{6}$/);
    expect(t.sim.state.cases).toHaveLength(1);
    expect(t.logs.some((l) => l.includes('submission treated as spam'))).toBe(true);

    // Its token reads like a real one: the same claims, a receipt of the same shape, the next case id.
    const claims = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
    const [mine, theirs] = [claims(real.lookupToken), claims(fake.lookupToken)];
    expect(Object.keys(theirs).sort()).toEqual(Object.keys(mine).sort());
    expect(theirs.r).toMatch(/^sub_[a-z2-7]{20}$/);
    expect(theirs.c as number).toBeGreaterThan(mine.c as number);
    expect(theirs.c as number).toBeLessThanOrEqual((mine.c as number) + 3);
    expect(theirs.n).toBe(fake.caseNumber);

    // Looked up, by token or by number and email, it is a case just filed, like the real one.
    const look = async (request: Record<string, string>) => {
      const found = await t.lookup(request);
      return { status: found.status, body: (await found.json()) as Record<string, unknown> };
    };
    const realStatus = await look({ token: real.lookupToken });
    const byToken = await look({ token: fake.lookupToken });
    expect(byToken.status).toBe(200);
    expect(Object.keys(byToken.body)).toEqual(Object.keys(realStatus.body));
    expect(byToken.body).toMatchObject({
      caseNumber: fake.caseNumber,
      subject: 'Cheap pills',
      status: 'open',
      statusLabel: realStatus.body.statusLabel,
      replies: [],
    });
    const byNumber = await look({ caseNumber: fake.caseNumber, email: 'ann@example.com' });
    expect(byNumber).toEqual(byToken);
    // With another email it is a miss, as a real case's would be.
    expect((await look({ caseNumber: fake.caseNumber, email: 'eve@example.com' })).status).toBe(404);
    expect(t.sim.state.cases).toHaveLength(1);
  });

  it('treats a submission faster than the minimum fill time as a bot', async () => {
    const answer = await t.app.request('/v1/forms/support');
    const { formToken } = (await answer.json()) as { formToken: string };
    t.clock.advance(500);
    expect((await t.submit(validValues(), { token: formToken })).status).toBe(201);
    expect(t.sim.state.cases).toHaveLength(0);
  });
});

describe('a form token replayed', () => {
  it('files at most three new requests, a repeat of one of them not counted, then asks for a fresh token', async () => {
    const { formToken } = await t.getForm();
    const send = (i: number) =>
      t.submit(validValues({ subject: `Replay ${i}` }), {
        token: formToken,
        headers: { 'idempotency-key': `replay-key-${i}` },
      });
    const first = await send(0);
    expect(first.status).toBe(201);
    // The answer was lost: the same request again is a repeat, not a use.
    expect(await (await send(0)).json()).toEqual(await first.json());
    expect((await send(1)).status).toBe(201);
    expect((await send(2)).status).toBe(201);
    const fourth = await send(3);
    expect(fourth.status).toBe(400);
    expect((await errorOf(fourth)).code).toBe('FORM_TOKEN_INVALID');
    // Sent at once, a script's copies are counted as they come: none slips past the count.
    const { formToken: another } = await t.getForm();
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.submit(validValues({ subject: `Burst ${i}` }), { token: another }).then((a) => a.status),
      ),
    );
    expect(burst.filter((s) => s === 201)).toHaveLength(3);
    expect(burst.filter((s) => s === 400)).toHaveLength(7);
    expect(t.sim.state.cases).toHaveLength(6);
    // A bot's copies (the honeypot filled) meet the same cap: it learns nothing from it.
    const { formToken: bots } = await t.getForm();
    const spam = [];
    for (let i = 0; i < 4; i++)
      spam.push(
        (await t.submit(validValues({ website: 'x', subject: `Spam ${i}` }), { token: bots })).status,
      );
    expect(spam).toEqual([201, 201, 201, 400]);
    expect(t.sim.state.cases).toHaveLength(6);
  });
});

describe('captcha', () => {
  const captchaForm = async (verify: (token: string) => Promise<boolean>) => {
    return startBackend({
      config: {
        forms: [{ ...DEMO_CONFIG.forms[0], captcha: { provider: 'turnstile', siteKey: 'site-key' } }],
      },
      parts: { captcha: verify },
    });
  };

  it('refuses a failed or missing captcha with CAPTCHA_FAILED and accepts a passed one', async () => {
    const b = await captchaForm(async (token) => token === 'good');
    expect((await b.getForm()).form).toMatchObject({
      captcha: { provider: 'turnstile', siteKey: 'site-key' },
    });
    for (const extra of [{ captchaToken: 'bad' }, {}]) {
      const answer = await b.submit(validValues(), { extra });
      expect(answer.status).toBe(400);
      expect((await errorOf(answer)).code).toBe('CAPTCHA_FAILED');
    }
    expect((await b.submit(validValues(), { extra: { captchaToken: 'good' } })).status).toBe(201);
    expect(b.sim.state.cases).toHaveLength(1);
  });

  it('takes a retry of a stored submission without a second check of its spent token', async () => {
    // Like the providers: a token passes once.
    const spent = new Set<string>();
    const b = await captchaForm(
      async (token) => token.startsWith('pass-') && !spent.has(token) && !!spent.add(token),
    );
    const { formToken } = await b.getForm();
    const send = (captchaToken: string, key: string, values = validValues()) =>
      b.submit(values, { token: formToken, headers: { 'idempotency-key': key }, extra: { captchaToken } });
    const first = await send('pass-1', 'captcha-key-0001');
    expect(first.status).toBe(201);
    // The answer was lost; the widget sends the same request again, with the same token.
    const retry = await send('pass-1', 'captcha-key-0001');
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(await first.json());
    // Two sends at once with a fresh token and one key: the second waits for the first, then answers alike.
    const [a, b2] = await Promise.all([
      send('pass-3', 'captcha-key-0003'),
      send('pass-3', 'captcha-key-0003'),
    ]);
    expect([a.status, b2.status]).toEqual([201, 201]);
    expect(await b2.json()).toEqual(await a.json());
    // A new request with a spent token is still refused, and other content under a known key is a conflict.
    expect((await errorOf(await send('pass-1', 'captcha-key-0002'))).code).toBe('CAPTCHA_FAILED');
    const other = await send('pass-1', 'captcha-key-0001', validValues({ subject: 'Something else' }));
    expect(other.status).toBe(409);
    expect(b.sim.state.cases).toHaveLength(2);
  });

  it('asks the provider with the secret, the token and the visitor address, and fails closed', async () => {
    const seen: URLSearchParams[] = [];
    const provider = new Hono().post('/siteverify', async (c) => {
      const form = new URLSearchParams(await c.req.text());
      seen.push(form);
      return c.json({ success: form.get('response') === 'passed' });
    });
    const served = await listen(provider.fetch);
    const verify = createCaptchaVerifier({
      provider: 'hcaptcha',
      secret: 'captcha-secret',
      url: `${served.url}/siteverify`,
    });
    expect(await verify('passed', '203.0.113.9')).toBe(true);
    expect(await verify('failed', undefined)).toBe(false);
    expect(Object.fromEntries(seen[0]!)).toEqual({
      secret: 'captcha-secret',
      response: 'passed',
      remoteip: '203.0.113.9',
    });
    const down = createCaptchaVerifier({
      provider: 'turnstile',
      secret: 's',
      url: 'http://127.0.0.1:9/siteverify',
    });
    expect(await down('passed', undefined)).toBe(false);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result for a repeat and never files a second case', async () => {
    const { formToken } = await t.getForm();
    const send = () =>
      t.submit(validValues(), { token: formToken, headers: { 'idempotency-key': 'retry-key-0001' } });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    const bodies = await Promise.all([a, b, c].map((r) => r.json()));
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(t.sim.state.cases).toHaveLength(1);
  });

  it('refuses the same key with other content (409) and a malformed key (400)', async () => {
    await t.submit(validValues(), { headers: { 'idempotency-key': 'retry-key-0002' } });
    const other = await t.submit(validValues({ subject: 'Something else entirely' }), {
      headers: { 'idempotency-key': 'retry-key-0002' },
    });
    expect(other.status).toBe(409);
    expect((await errorOf(other)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    const bad = await t.submit(validValues(), { headers: { 'idempotency-key': 'no spaces allowed' } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(t.sim.state.cases).toHaveLength(1);
  });

  it('keeps a submission Deskie could not take, answers 202 queued, and delivers it once Deskie is back', async () => {
    t.sim.setFaults({ errorRate: 1 });
    const first = await t.submit(validValues(), { headers: { 'idempotency-key': 'retry-key-0003' } });
    expect(first.status).toBe(202);
    const queued = (await first.json()) as { status: string; receipt: string; lookupToken: string };
    expect(queued).toMatchObject({ status: 'queued', receipt: expect.stringMatching(/^sub_/) });
    // The visitor's retry finds the same submission, still queued.
    const again = await t.submit(validValues(), { headers: { 'idempotency-key': 'retry-key-0003' } });
    expect(await again.json()).toMatchObject({ status: 'queued', receipt: queued.receipt });
    expect((await (await t.lookup({ token: queued.lookupToken })).json()) as unknown).toMatchObject({
      receipt: queued.receipt,
      status: 'queued',
      statusLabel: 'Received — waiting to be filed',
    });

    t.sim.setFaults({ errorRate: 0 });
    t.clock.advance(60_000);
    expect(await t.drainer.drainDue()).toBe(1);
    expect(t.sim.state.cases).toHaveLength(1);
    const after = await t.submit(validValues(), { headers: { 'idempotency-key': 'retry-key-0003' } });
    expect(after.status).toBe(201);
    const { caseNumber } = (await after.json()) as { caseNumber: string };
    expect(caseNumber).toBe(t.sim.state.cases[0]?.case_number);
    // The token handed out while queued now shows the case.
    expect(await (await t.lookup({ token: queued.lookupToken })).json()).toMatchObject({
      caseNumber,
      status: 'open',
    });
    expect(t.sim.state.cases).toHaveLength(1);
  });
});

describe('when the answer is lost', () => {
  it('waits reconcileAfterSeconds before looking for the case in Deskie, then finds it: one case', async () => {
    const b = await startBackend();
    // Deskie makes the case, and the connection drops before its answer.
    b.sim.setFaults({ dropAfterCommitRate: 1 });
    const answer = await b.submit(validValues());
    expect(answer.status).toBe(202);
    b.sim.setFaults({ dropAfterCommitRate: 0 });
    expect(b.sim.state.cases).toHaveLength(1);
    const [row] = await b.outbox.list({});
    expect(row).toMatchObject({ status: 'pending', uncertain: true });
    expect((row?.next_attempt_at ?? 0) - b.clock.now()).toBeGreaterThanOrEqual(30_000);
    // Deskie may still be making it: not looked for yet.
    b.clock.advance(20_000);
    expect(await b.drainer.drainDue()).toBe(0);
    b.clock.advance(15_000);
    expect(await b.drainer.drainDue()).toBe(1);
    expect(await b.outbox.get(row?.id ?? '')).toMatchObject({
      status: 'delivered',
      case_number: b.sim.state.cases[0]?.case_number,
    });
    expect(b.sim.state.cases).toHaveLength(1);
    expect(b.logs.some((l) => l.includes('"how":"reconciled"'))).toBe(true);
  });
});

describe('when Deskie says no', () => {
  it('keeps a submission Deskie refuses as a dead letter, without passing on its words', async () => {
    const b = await startBackend({
      config: { forms: [{ ...DEMO_CONFIG.forms[0], case: { labels: [999] } }] },
    });
    const answer = await b.submit(validValues());
    expect(answer.status).toBe(202);
    expect(JSON.stringify(await answer.json())).not.toContain('label_not_found');
    const [dead] = await b.outbox.list({ status: 'dead' });
    expect(dead?.last_error).toBe('DESKIE_REJECTED (label_not_found) HTTP 400');
    expect(b.logs.some((l) => l.includes('submission dead-lettered'))).toBe(true);
    expect(b.sim.state.cases).toHaveLength(0);
  });
});
