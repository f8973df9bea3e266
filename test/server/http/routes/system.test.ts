import { describe, expect, it } from 'vitest';
import { errorBody } from '../../../../server/contract';
import { startBackend } from '../../../helpers/backend';

const BUNDLE = new TextEncoder().encode('window.DeskieForm={};');
const CHUNK = new TextEncoder().encode('export function boot(){}');
const asked: string[] = [];
const t = await startBackend({
  parts: {
    widgetAsset: async (path) => {
      asked.push(path);
      return path === 'deskie-form.js' ? BUNDLE : path === 'deskie-form/app-Ab12_x.js' ? CHUNK : undefined;
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
        '/healthz',
        '/readyz',
      ]),
    );
    const submission = doc.paths['/v1/forms/{id}/submissions']?.post;
    expect(Object.keys(submission?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '409', '422', '503']),
    );
    expect(JSON.stringify(submission)).toContain('caseNumber');
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
