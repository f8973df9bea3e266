/**
 * A stand-in for a captcha provider on 127.0.0.1: its siteverify endpoint (each token starting
 * with "pass-" passes once, with the right secret — like the real ones, a token is good for one
 * check) and, optionally, the script a page loads. It stops after the test file.
 */
import { Hono } from 'hono';
import { listen } from './serve';

export async function startCaptchaProvider(secret: string, script = '') {
  const verified: string[] = [];
  let scriptLoads = 0;
  const app = new Hono()
    .get('/turnstile.js', (c) => {
      scriptLoads += 1;
      return c.body(script, 200, { 'content-type': 'text/javascript' });
    })
    .post('/siteverify', async (c) => {
      const form = new URLSearchParams(await c.req.text());
      const token = form.get('response') ?? '';
      const success = form.get('secret') === secret && token.startsWith('pass-') && !verified.includes(token);
      verified.push(token);
      return c.json({ success });
    });
  const { url } = await listen(app.fetch);
  return {
    url,
    /** The tokens the backend asked about, in order. */
    verified,
    /** How often a page fetched the script. */
    scriptLoads: () => scriptLoads,
  };
}
