/**
 * Fuzzing the submission endpoint: whatever arrives — body, content type, idempotency key, origin —
 * the answer is a success or a typed 4xx in the contract's error shape. Never a 5xx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorBody, errorStatus, submissionResponse } from '../../../server/contract';
import { startBackend, validValues } from '../../helpers/backend';

const t = await startBackend({ config: { allowedOrigins: ['https://shop.example'] } });
const { formToken } = await t.getForm();

const value = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.integer(),
  fc.constant(null),
  fc.constant(''),
  fc.emailAddress(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);
const values = fc.oneof(
  fc.dictionary(
    fc.constantFrom(
      'name',
      'email',
      'subject',
      'message',
      'cf_5',
      'cf_9',
      'cf_12',
      'website',
      'cf_999',
      '__proto__',
      'constructor',
    ),
    value,
  ),
  fc.record({
    email: fc.emailAddress(),
    subject: fc.string({ minLength: 1 }),
    message: fc.string({ minLength: 1 }),
    cf_9: fc.constantFrom('1', '2', '3', '4', ''),
    cf_12: fc.boolean(),
  }),
  fc.constant(validValues()),
);
const body = fc.oneof(
  fc.record({
    formToken: fc.oneof(fc.constant(formToken), fc.string()),
    values,
    locale: fc.option(fc.string(), { nil: undefined }),
    context: fc.option(fc.object(), { nil: undefined }),
  }),
  fc.jsonValue(),
);
// Mostly well-formed submissions, so that the success path is reached as well as every refusal.
const plausible = fc.record({
  formToken: fc.constant(formToken),
  values: fc.oneof(fc.constant(validValues()), values),
});
const raw = fc.oneof(
  { arbitrary: plausible.map((b) => JSON.stringify(b)), weight: 4 },
  body.map((b) => JSON.stringify(b)),
  fc.string(),
  fc.constant('{"formToken":'),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => new TextDecoder().decode(bytes)),
);
const headers = fc.record({
  'content-type': fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    '',
    'application/x-www-form-urlencoded',
  ),
  'idempotency-key': fc.option(fc.oneof(fc.string(), fc.uuid()), { nil: undefined }),
  origin: fc.option(fc.constantFrom('https://shop.example', 'https://evil.example', 'null', 'not a url'), {
    nil: undefined,
  }),
  'accept-language': fc.option(fc.string(), { nil: undefined }),
});

describe('submission endpoint under fuzzing', () => {
  it('answers 1 000 generated requests with a success or a typed 4xx, never a 5xx', async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(raw, headers, async (text, h) => {
        const sent = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >;
        const answer = await t.app.request('/v1/forms/support/submissions', {
          method: 'POST',
          headers: sent,
          body: text,
        });
        const json: unknown = await answer.json();
        expect(answer.status).toBeLessThan(500);
        if (answer.status === 201) {
          expect(submissionResponse.safeParse(json).success).toBe(true);
          created += 1;
          return;
        }
        const parsed = errorBody.safeParse(json);
        expect(parsed.success).toBe(true);
        if (parsed.success) expect(errorStatus[parsed.data.error.code]).toBe(answer.status);
      }),
      { numRuns: 1000 },
    );
    // The generators reach the success path too, not only refusals.
    expect(created).toBeGreaterThan(0);
  });

  it('answers every path and method it does not serve with the typed error shape, 404 and 405 included', async () => {
    const path = fc.oneof(
      fc.constantFrom(
        '/',
        '/v1',
        '/v1/forms',
        '/v1/forms/support',
        '/v1/forms/support/submissions',
        '/v1/forms/support/status',
        '/v1/forms/nope/status',
        '/admin/outbox',
        '/deskie-form/../package.json',
        '/deskie-form/x.js',
        '/openapi.json',
        '/readyz',
      ),
      fc.webPath(),
      fc.string().map((s) => `/${encodeURIComponent(s)}`),
    );
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), async (p, method) => {
        const answer = await t.app.request(p, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        expect(answer.status).toBeLessThan(500);
        if (answer.status < 400) return;
        expect(answer.headers.get('content-type')).toContain('application/json');
        const parsed = errorBody.safeParse(await answer.json());
        expect(parsed.success).toBe(true);
        if (parsed.success) expect(errorStatus[parsed.data.error.code]).toBe(answer.status);
      }),
      { numRuns: 300 },
    );
  });
});
