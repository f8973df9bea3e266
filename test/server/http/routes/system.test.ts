import { describe, expect, it } from 'vitest';
import { errorBody } from '../../../../server/contract';
import { DEMO_CONFIG, startBackend, validValues } from '../../../helpers/backend';

const BUNDLE = new TextEncoder().encode('window.DeskieForm={};');
const CHUNK = new TextEncoder().encode('export function boot(){}');
// What the build writes beside each file (their contents do not matter here, only which is sent).
const files: Record<string, Uint8Array> = {
  'deskie-form.js': BUNDLE,
  'deskie-form.js.br': new Uint8Array([0xb1, 1]),
  'deskie-form.js.gz': new Uint8Array([0x1f, 0x8b, 2]),
  'deskie-form/app-Ab12_x.js': CHUNK,
  'deskie-form/app-Ab12_x.js.gz': new Uint8Array([0x1f, 0x8b, 3]),
};
const asked: string[] = [];
const t = await startBackend({
  parts: {
    widgetAsset: async (path) => {
      asked.push(path);
      return files[path];
    },
  },
});

describe('health, readiness, OpenAPI and the widget bundle', () => {
  it('answers liveness', async () => {
    expect(await (await t.app.request('/healthz')).json()).toEqual({ status: 'ok' });
  });

  it('is ready when Deskie accepts the credentials, and says which when it does not', async () => {
    expect(await (await t.app.request('/readyz')).json()).toEqual({
      status: 'ready',
      deskie: 'ok',
      outbox: { pending: 0, dead: 0, oldestPendingSeconds: 0 },
      reasons: [],
    });
    const refused = t.make({
      account: { ...t.parts.account, apiKey: 'wrong-key-7f3a9' },
      deskie: { readAttempts: 1 },
    });
    const answer = await refused.request('/readyz');
    expect(answer.status).toBe(503);
    const text = await answer.text();
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'NOT_READY', message: expect.stringContaining('DESKIE_API_KEY') },
    });
    expect(text).not.toContain('wrong-key-7f3a9');
    expect(answer.headers.get('retry-after')).toBe('30');
  });

  it('is degraded (still 200) while a dead letter waits, saying why and what to do; ready once it is delivered', async () => {
    const b = await startBackend({
      config: { forms: [{ ...DEMO_CONFIG.forms[0], case: { labels: [999] } }] },
    });
    expect((await b.submit(validValues())).status).toBe(202);
    const answer = await b.app.request('/readyz');
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { reasons: { message: string }[] };
    expect(body).toMatchObject({
      status: 'degraded',
      deskie: 'ok',
      outbox: { pending: 0, dead: 1 },
      reasons: [{ code: 'DEAD_LETTERS' }],
    });
    for (const hint of ['1 submission', 'npm run outbox -- list dead', 'POST /admin/outbox/{id}/retry'])
      expect(body.reasons[0]?.message).toContain(hint);

    // The owner fixes the label in Deskie and retries: delivered, nothing waits any more.
    b.sim.state.seed.labels.push({ label_id: 999, label_title: 'fixed' });
    const [dead] = await b.outbox.list({ status: 'dead' });
    expect(await b.outbox.retry(dead!.id, b.clock.now())).toBe(true);
    expect(await b.drainer.drainDue()).toBe(1);
    expect(await (await b.app.request('/readyz')).json()).toMatchObject({ status: 'ready', reasons: [] });
  });

  it('serves the OpenAPI document generated from the contract', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/forms/{id}',
        '/v1/forms/{id}/submissions',
        '/v1/forms/{id}/status',
        '/v1/forms/{id}/files/{link}',
        '/v1/forms/{id}/requests',
        '/v1/forms/{id}/replies',
        '/healthz',
        '/readyz',
      ]),
    );
    const submission = doc.paths['/v1/forms/{id}/submissions']?.post;
    expect(Object.keys(submission?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '409', '422', '503']),
    );
    expect(JSON.stringify(submission)).toContain('caseNumber');
    // Support's files: listed in the status answer, downloaded at their link (or expired).
    expect(JSON.stringify(doc.paths['/v1/forms/{id}/status'])).toContain('attachments');
    expect(Object.keys(doc.paths['/v1/forms/{id}/files/{link}']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '404', '410']),
    );
    const replies = doc.paths['/v1/forms/{id}/replies']?.post;
    expect(Object.keys(replies?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '202', '404', '409']),
    );
    expect(Object.keys(doc.paths['/v1/forms/{id}/requests']?.post?.responses ?? {})).toContain('401');
    // Readiness says what a monitor may see: ready or degraded (200), or not ready (503).
    const readiness = doc.paths['/readyz']?.get;
    expect(Object.keys(readiness?.responses ?? {})).toEqual(['200', '503']);
    expect(JSON.stringify(readiness?.responses['200'])).toContain('degraded');
  });

  it('serves the widget bundle with caching headers and ETag revalidation, loadable from any site', async () => {
    const answer = await t.app.request('/deskie-form.js');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('javascript');
    expect(answer.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(answer.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(BUNDLE);
    const again = await t.app.request('/deskie-form.js', {
      headers: { 'if-none-match': answer.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('sends the compressed file the client weighs highest, with its length, and says it varies', async () => {
    const get = async (acceptEncoding: string, path = '/deskie-form.js') => {
      const answer = await t.app.request(path, { headers: { 'accept-encoding': acceptEncoding } });
      const body = new Uint8Array(await answer.arrayBuffer());
      return {
        encoding: answer.headers.get('content-encoding'),
        length: Number(answer.headers.get('content-length')),
        vary: answer.headers.get('vary'),
        etag: answer.headers.get('etag'),
        body,
      };
    };
    const br = await get('gzip, deflate, br');
    expect(br).toMatchObject({ encoding: 'br', length: 2, vary: 'Accept-Encoding' });
    expect(br.body).toEqual(files['deskie-form.js.br']);
    expect(await get('gzip')).toMatchObject({
      encoding: 'gzip',
      length: 3,
      body: files['deskie-form.js.gz'],
    });
    expect(await get('br;q=0, gzip;q=0.5')).toMatchObject({ encoding: 'gzip' });
    expect(await get('br;q=0.4, gzip;q=0.8')).toMatchObject({ encoding: 'gzip' });
    expect(await get('*')).toMatchObject({ encoding: 'br' });
    const plain = await get('identity');
    expect(plain).toMatchObject({ encoding: null, length: BUNDLE.byteLength, body: BUNDLE });
    // Each representation has its own tag; a chunk built without brotli is sent gzipped.
    expect(new Set([br.etag, plain.etag, (await get('gzip')).etag]).size).toBe(3);
    expect(await get('br, gzip', '/deskie-form/app-Ab12_x.js')).toMatchObject({ encoding: 'gzip' });
    const again = await t.app.request('/deskie-form.js', {
      headers: { 'accept-encoding': 'br', 'if-none-match': br.etag ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('serves the form chunks by hashed name for good, and nothing outside the widget folder', async () => {
    const chunk = await t.app.request('/deskie-form/app-Ab12_x.js', {
      headers: { origin: 'https://shop.example' },
    });
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
    expect(new Uint8Array(await chunk.arrayBuffer())).toEqual(CHUNK);
    expect((await t.app.request('/deskie-form/app-missing.js')).status).toBe(404);
    asked.length = 0;
    for (const path of [
      '/deskie-form/..%2F..%2Fpackage.json',
      '/deskie-form/../server/env.js',
      '/deskie-form/a.ts',
    ])
      expect((await t.app.request(path)).status).toBe(404);
    expect(asked).toEqual([]);
  });

  it('says how to build the bundle when it is missing', async () => {
    const b = await startBackend();
    const answer = await b.app.request('/deskie-form.js');
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toContain(
      'npm run build',
    );
  });

  it('answers unknown paths with the typed 404', async () => {
    const answer = await t.app.request('/nothing/here');
    expect(answer.status).toBe(404);
    const body = await answer.json();
    expect(errorBody.safeParse(body).success).toBe(true);
  });
});
