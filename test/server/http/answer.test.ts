import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { answerHeaders, respondJson, vary } from '../../../server/http/answer';
import type { AppEnv } from '../../../server/http/deps';

/** An app with the answer headers, a CORS-like guard adding Vary: Origin, and two kinds of route. */
function app() {
  const a = new Hono<AppEnv>();
  a.use(answerHeaders({ now: () => 0 }, () => {}));
  a.use(async (c, next) => {
    vary(c, 'Origin');
    await next();
  });
  // A route answering Hono's way, with a Vary of its own (as a compressing middleware writes it).
  a.get('/own', (c) => {
    c.header('Vary', 'Accept-Encoding');
    c.header('Cache-Control', 'max-age=60');
    return c.json({ ok: true });
  });
  a.get('/fast', (c) => respondJson(c, { ok: true }, 200, { 'Cache-Control': 'no-cache' }));
  return a;
}

describe('answer headers', () => {
  it("keeps a route's own headers and adds the request's, Vary as the union of both", async () => {
    const own = await app().request('/own');
    expect(own.headers.get('vary')).toBe('Accept-Encoding, Origin');
    expect(own.headers.get('cache-control')).toBe('max-age=60');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    const fast = await app().request('/fast');
    expect(fast.headers.get('vary')).toBe('Origin');
    expect(fast.headers.get('cache-control')).toBe('no-cache');
    expect(fast.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
