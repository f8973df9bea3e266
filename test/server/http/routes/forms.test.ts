import { describe, expect, it } from 'vitest';
import { publicForm } from '../../../../server/contract';
import { DEMO_CONFIG, startBackend } from '../../../helpers/backend';

const t = await startBackend();

describe('form definition', () => {
  it('serves the demo form in the contract shape, with a fresh form token', async () => {
    const answer = await t.app.request('/v1/forms/support');
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { form: unknown; formToken: string };
    expect(publicForm.safeParse(body.form).success).toBe(true);
    expect(answer.headers.get('form-token')).toBe(body.formToken);
    expect(body.form).toMatchObject({
      id: 'support',
      locale: 'en',
      dir: 'ltr',
      title: 'Contact support',
      honeypot: 'website',
    });
  });

  it('picks the locale from ?locale=, then Accept-Language, else the form default', async () => {
    const get = async (query: string, headers: Record<string, string> = {}) =>
      (
        (await (await t.app.request(`/v1/forms/support${query}`, { headers })).json()) as {
          form: { locale: string; title: string };
        }
      ).form;
    expect(await get('?locale=ru')).toMatchObject({ locale: 'ru', title: 'Написать в поддержку' });
    expect(await get('', { 'accept-language': 'de-DE,ru;q=0.8' })).toMatchObject({ locale: 'ru' });
    // Weights decide, not order: the visitor prefers English here, and refuses Russian there.
    expect(await get('', { 'accept-language': 'ru;q=0.1, en;q=0.9' })).toMatchObject({ locale: 'en' });
    expect(await get('', { 'accept-language': 'ru;q=0, *;q=0.5' })).toMatchObject({ locale: 'en' });
    expect(await get('?locale=ru-RU')).toMatchObject({ locale: 'ru' });
    expect(await get('?locale=ja')).toMatchObject({ locale: 'en' });
  });

  it('gzips the definition for a client that takes it; a small answer goes as it is', async () => {
    const plain = await t.app.request('/v1/forms/support');
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(1024);
    const zipped = await t.app.request('/v1/forms/support', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toContain('Accept-Encoding');
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(text.length);
    const unzipped = await new Response(
      new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')),
    ).json();
    // The same definition as the plain answer, and this answer's own token, as its header says.
    expect(unzipped.form).toEqual(JSON.parse(text).form);
    expect(unzipped.formToken).toBe(zipped.headers.get('form-token'));
    expect(unzipped.formToken).not.toBe(JSON.parse(text).formToken);
    // The weak tag a compressed answer carries still revalidates.
    const etag = zipped.headers.get('etag') ?? '';
    expect(etag.startsWith('W/')).toBe(true);
    const revalidated = await t.app.request('/v1/forms/support', {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': etag },
    });
    expect(revalidated.status).toBe(304);
    const small = await t.app.request('/v1/forms/nope', { headers: { 'accept-encoding': 'gzip' } });
    expect(small.status).toBe(404);
    expect(small.headers.get('content-encoding')).toBeNull();
  });

  it('answers a repeat with 304 by ETag, still with a fresh token', async () => {
    const first = await t.app.request('/v1/forms/support');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('no-cache');
    t.clock.advance(1000);
    const again = await t.app.request('/v1/forms/support', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('form-token')).toBeTruthy();
    expect(again.headers.get('form-token')).not.toBe(first.headers.get('form-token'));
    const ru = await t.app.request('/v1/forms/support?locale=ru', { headers: { 'if-none-match': etag } });
    expect(ru.status).toBe(200);
  });

  it('imports field types and select options from Deskie; hides fields Deskie marks inactive', async () => {
    const b = await startBackend({
      config: {
        forms: [
          {
            id: 'imported',
            title: 'Imported',
            fields: [
              { key: 'email' },
              { key: 'message' },
              { key: 'subject' },
              { key: 'cf_9' },
              { key: 'cf_14', required: true },
              { key: 'cf_21' },
              { key: 'cf_6' },
            ],
          },
        ],
      },
    });
    const { form } = (await (await b.app.request('/v1/forms/imported')).json()) as {
      form: { fields: Record<string, unknown>[] };
    };
    expect(form.fields.map((f) => [f.key, f.type, f.label])).toEqual([
      ['email', 'email', 'Email'],
      ['message', 'textarea', 'How can we help?'],
      ['subject', 'text', 'Subject'],
      ['cf_9', 'select', 'Topic'],
      ['cf_14', 'date', 'Order date'],
      ['cf_6', 'textarea', 'Steps to reproduce'],
    ]);
    expect(form.fields[3]?.options).toEqual([
      { value: '1', label: 'Billing' },
      { value: '2', label: 'Delivery' },
      { value: '3', label: 'Other' },
    ]);
  });

  it('caches the imported definitions and serves the cached ones while Deskie is down', async () => {
    const b = await startBackend({
      config: {
        forms: [
          {
            ...DEMO_CONFIG.forms[0],
            fields: [{ key: 'email' }, { key: 'message' }, { key: 'subject' }, { key: 'cf_9' }],
          },
        ],
      },
    });
    expect((await b.app.request('/v1/forms/support')).status).toBe(200);
    const before = b.sim.stats.requests;
    expect((await b.app.request('/v1/forms/support')).status).toBe(200);
    expect(b.sim.stats.requests).toBe(before);
    b.clock.advance(11 * 60_000);
    b.sim.setFaults({ errorRate: 1 });
    expect((await b.app.request('/v1/forms/support')).status).toBe(200);
  });

  it('answers 503 NOT_READY when fields must come from Deskie and Deskie is down', async () => {
    const b = await startBackend({
      config: {
        forms: [
          {
            ...DEMO_CONFIG.forms[0],
            fields: [{ key: 'email' }, { key: 'message' }, { key: 'subject' }, { key: 'cf_9' }],
          },
        ],
      },
    });
    b.sim.setFaults({ errorRate: 1 });
    const answer = await b.app.request('/v1/forms/support');
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('NOT_READY');
  });

  it('answers 404 FORM_NOT_FOUND for an unknown form and 405 for a wrong method', async () => {
    const missing = await t.app.request('/v1/forms/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('FORM_NOT_FOUND');
    const wrong = await t.app.request('/v1/forms/support/submissions');
    expect(wrong.status).toBe(405);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
