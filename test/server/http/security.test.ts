import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, startBackend, validValues } from '../../helpers/backend';

const API_KEY = 'sk-live-7c1d2e3f4a5b6c7d';
const t = await startBackend({ config: { allowedOrigins: ['https://shop.example'] } });

describe('CORS', () => {
  it('grants an allowed origin, with a correct preflight', async () => {
    const preflight = await t.app.request('/v1/forms/support/submissions', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const get = await t.app.request('/v1/forms/support', { headers: { origin: 'https://shop.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(get.headers.get('access-control-expose-headers')).toContain('Form-Token');
  });

  it('grants nothing to another origin and refuses its writes before anything happens', async () => {
    const preflight = await t.app.request('/v1/forms/support/submissions', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const get = await t.app.request('/v1/forms/support', { headers: { origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    t.sim.state.reset();
    const post = await t.submit(validValues(), { headers: { origin: 'https://evil.example' } });
    expect(post.status).toBe(403);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it('allows the backend its own origin (the demo page) and requests with no origin', async () => {
    const own = await t.submit(validValues(), { headers: { origin: 'http://localhost' } });
    expect(own.status).toBe(201);
    expect((await t.submit(validValues())).status).toBe(201);
  });
});

describe('secrets and logs', () => {
  it('never puts the Deskie API key in a response or a log line, whatever happens', async () => {
    // Every field typed in the config, so the form itself needs nothing from Deskie.
    const form = DEMO_CONFIG.forms[0];
    const types: Record<string, string> = { cf_5: 'text', cf_9: 'select', cf_12: 'checkbox' };
    const fields = form.fields.map((f: { key: string }) => (types[f.key] ? { ...f, type: types[f.key] } : f));
    const b = await startBackend({ config: { forms: [{ ...form, fields }] } });
    const keyed = b.make({ account: { ...b.parts.account, apiKey: API_KEY }, deskie: { readAttempts: 1 } });
    const answers: Response[] = [];
    answers.push(await keyed.request('/readyz'));
    answers.push(await keyed.request('/v1/forms/support'));
    const { formToken } = (await (await keyed.request('/v1/forms/support')).json()) as { formToken: string };
    b.clock.advance(10_000);
    answers.push(
      await keyed.request('/v1/forms/support/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ formToken, values: validValues() }),
      }),
    );
    answers.push(
      await keyed.request('/v1/forms/support/status', {
        method: 'POST',
        body: '{"token":"x"}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    answers.push(await keyed.request('/openapi.json'));
    // The submission is kept (202) while Deskie refuses the credentials.
    expect(answers.map((a) => a.status)).toEqual([503, 200, 202, 404, 200]);
    for (const answer of answers) {
      expect(await answer.text()).not.toContain(API_KEY);
      expect(JSON.stringify([...answer.headers])).not.toContain(API_KEY);
      expect(JSON.stringify([...answer.headers])).not.toContain(btoa(`demo@example.com:${API_KEY}`));
    }
    expect(b.logs.length).toBeGreaterThan(0);
    expect(b.logs.join('\n')).not.toContain(API_KEY);
  });

  it('redacts emails in logs and writes structured JSON lines with request ids', async () => {
    t.logs.length = 0;
    await t.submit(validValues({ email: 'margaret.hamilton@example.com' }));
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(t.logs.join('\n')).not.toContain('margaret.hamilton');
    expect(lines.find((l) => l.msg === 'submission accepted')).toMatchObject({ email: 'm***@example.com' });
    expect(lines.find((l) => l.msg === 'request' && l.method === 'POST')).toMatchObject({
      requestId: expect.any(String),
      path: '/v1/forms/support/submissions',
      status: 201,
    });
  });

  it("sends an API's security headers, and none of a page's", async () => {
    for (const answer of [
      await t.app.request('/v1/forms/support'),
      await t.app.request('/v1/forms/nope'),
      await t.app.request('/v1/forms/support/submissions', { method: 'POST', body: '{' }),
      await t.app.request('/healthz'),
    ]) {
      const headers = Object.fromEntries(answer.headers);
      expect(headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'content-security-policy': "frame-ancestors 'none'",
        'strict-transport-security': 'max-age=15552000; includeSubDomains',
        'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      for (const name of ['x-xss-protection', 'x-dns-prefetch-control', 'origin-agent-cluster', 'ratelimit'])
        expect(headers[name], name).toBeUndefined();
    }
    // Stored nowhere, but where a route says otherwise: the definition is revalidated.
    expect((await t.app.request('/v1/forms/nope')).headers.get('cache-control')).toBe('no-store');
    expect((await t.app.request('/v1/forms/support')).headers.get('cache-control')).toBe('no-cache');
  });

  it("keeps a caller's request id when it is a safe token, and makes one otherwise", async () => {
    const id = async (given: string) =>
      (await t.app.request('/healthz', { headers: { 'x-request-id': given } })).headers.get('x-request-id');
    expect(await id('trace-42_a=')).toBe('trace-42_a=');
    expect(await id('<script>')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await id('x'.repeat(256))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('tells CORS only to an allowed origin, and always that the answer varies by it', async () => {
    const from = (origin?: string) =>
      t.app.request('/v1/forms/support', { headers: origin ? { origin } : {} });
    const allowed = await from('https://shop.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('Form-Token');
    for (const answer of [await from('https://evil.example'), await from()]) {
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.headers.get('access-control-expose-headers')).toBeNull();
      expect(answer.headers.get('vary')).toBe('Origin, Accept-Language');
    }
  });
});
