import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCEPT, rawGet } from '../../bench/served';
import { DEMO_CONFIG, validValues } from '../../helpers/backend';
import { backendEnv, startCommand, startEntry } from '../../helpers/process';
import { exchange } from '../../helpers/raw-http';
import { startSimulator } from '../../helpers/serve';

const BUNDLE = 'build/server/node.mjs';

/** Files a request through the API of a running backend the way a browser would. */
async function fileRequest(base: string, fillMs: number) {
  const definition = await fetch(`${base}/v1/forms/support`);
  const { formToken } = (await definition.json()) as { formToken: string };
  await new Promise((r) => setTimeout(r, fillMs));
  const answer = await fetch(`${base}/v1/forms/support/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ formToken, values: validValues(), context: { pageUrl: `${base}/` } }),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { caseNumber: string; lookupToken: string };
}

describe('npm start', () => {
  it('with no configuration: backend, simulator and demo page in one process; file a request, then look it up', async () => {
    // What `npm start` runs: the bundle `npm run build` wrote (npm test builds before testing).
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run "npm run build" first`);
    const app = startCommand(process.execPath, [BUNDLE], {
      PORT: '0',
      DESKIE_FORM_DATABASE: join(mkdtempSync(join(tmpdir(), 'deskie-demo-')), 'outbox.sqlite'),
    });
    const [, base] = await app.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
    await app.waitFor(/Demo page/);
    await app.waitFor(/Deskie simulator: .*\/_deskie\/api\//);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('deskie-form demo');
    expect((await fetch(`${base}/demo/setup.js`)).status).toBe(200);
    // What Node's parser refuses is answered by the server's guard, in the one error shape.
    const tooLarge = await exchange(
      Number(new URL(base!).port),
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(tooLarge.status).toBe(431);
    expect(await tooLarge.json()).toMatchObject({ error: { code: 'HEADERS_TOO_LARGE' } });
    const widget = await rawGet(`${base}/deskie-form.js`, ACCEPT.br);
    expect(widget).toMatchObject({ status: 200, encoding: 'br' });
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({
      status: 'ready',
      deskie: 'ok',
      outbox: { dead: 0 },
    });

    const { caseNumber, lookupToken } = await fileRequest(base!, 2_100);
    const byNumber = await fetch(`${base}/v1/forms/support/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ caseNumber, email: 'ann@example.com' }),
    });
    expect(await byNumber.json()).toMatchObject({ caseNumber, statusLabel: 'In progress' });
    const byToken = await fetch(`${base}/v1/forms/support/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: lookupToken }),
    });
    expect(byToken.status).toBe(200);
    // Structured logs on stdout, without the visitor's address in clear.
    expect(app.output()).toContain('"msg":"submission delivered"');
    expect(app.output()).not.toContain('ann@example.com');
  });

  it('with DESKIE_URL and credentials: uses that account and says so', async () => {
    const { sim, url } = await startSimulator({
      staffEmail: 'owner@shop.example',
      apiKey: 'real-key-123',
      rpm: 10_000,
    });
    const app = startEntry(
      'server/runtimes/node.ts',
      backendEnv(url, { email: 'owner@shop.example', key: 'real-key-123' }),
    );
    const [, base] = await app.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
    await app.waitFor(/Using your Deskie account/);
    expect(app.output()).not.toContain('real-key-123');
    const outside = await fetch(`${base}/_deskie/api/cases.json`);
    expect(outside.status).toBe(404);
    expect(((await outside.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const { caseNumber } = await fileRequest(base!, 0);
    expect(sim.state.findCase(caseNumber)?.recipient).toBe('ann@example.com');
  });

  it('stops at a bad configuration, naming the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskie-form-'));
    const config = join(dir, 'forms.json');
    writeFileSync(config, JSON.stringify({ forms: [{ ...DEMO_CONFIG.forms[0], id: 'Bad Id' }] }));
    const app = startEntry('server/runtimes/node.ts', { PORT: '0', DESKIE_FORM_CONFIG: config });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('forms[0].id: must be lower-case letters, digits and dashes');
  });
});

describe('the demo beyond this machine', () => {
  const database = () => join(mkdtempSync(join(tmpdir(), 'deskie-demo-')), 'outbox.sqlite');

  it('refuses to start on an address others reach, saying what to do', async () => {
    const app = startEntry('server/runtimes/node.ts', {
      PORT: '0',
      HOST: '0.0.0.0',
      DESKIE_FORM_DEMO_PUBLIC: '0',
      DESKIE_FORM_DATABASE: database(),
    });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('HOST: the demo (no Deskie account configured)');
    expect(app.output()).toContain('0.0.0.0 is not a loopback address');
    for (const way of [
      'DESKIE_URL, DESKIE_STAFF_EMAIL and DESKIE_API_KEY',
      'HOST=127.0.0.1',
      'DESKIE_FORM_DEMO_PUBLIC=1',
    ])
      expect(app.output()).toContain(way);
    expect(app.output()).not.toContain('deskie-form on');
  });

  it('starts there when DESKIE_FORM_DEMO_PUBLIC allows it, with a warning in the log', async () => {
    const app = startEntry('server/runtimes/node.ts', {
      PORT: '0',
      HOST: '0.0.0.0',
      DESKIE_FORM_DEMO_PUBLIC: '1',
      DESKIE_FORM_DATABASE: database(),
    });
    const [, port] = await app.waitFor(/deskie-form on http:\/\/0\.0\.0\.0:(\d+)/);
    expect(app.output()).toMatch(
      /"level":"warn","msg":"the demo is reachable beyond this machine \(DESKIE_FORM_DEMO_PUBLIC\)","host":"0\.0\.0\.0"/,
    );
    expect((await fetch(`http://127.0.0.1:${port}/_deskie/console`)).status).toBe(200);
  });
});

describe('the demo on this machine', () => {
  const app = startEntry('server/runtimes/node.ts', {
    PORT: '0',
    DESKIE_FORM_DATABASE: join(mkdtempSync(join(tmpdir(), 'deskie-demo-')), 'outbox.sqlite'),
  });
  const started = app.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/).then((m) => m[1] ?? '');
  const AUTH = `Basic ${btoa('demo@example.com:demo-key')}`;

  it("serves its pages with the API's security headers and a CSP of their own origin only", async () => {
    const base = await started;
    const api = await fetch(`${base}/healthz`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    const pages = [
      '/',
      '/demo/setup.js',
      '/demo/demo.css',
      '/_deskie/console',
      '/_deskie/console/console.css',
    ];
    for (const path of pages) {
      const page = await fetch(`${base}${path}`);
      expect(page.status, path).toBe(200);
      for (const name of ['x-content-type-options', 'referrer-policy', 'strict-transport-security'])
        expect(page.headers.get(name), `${path} ${name}`).toBe(api.headers.get(name));
      // A page may be framed by its own origin; the API's answers by nobody.
      expect(page.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(api.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy'), path).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
      );
    }
    // The policy allows no inline script or style: the pages have none.
    for (const path of ['/', '/_deskie/console']) {
      const html = await (await fetch(`${base}${path}`)).text();
      for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) expect(tag, path).toMatch(/\bsrc="\//);
      expect(html, path).not.toMatch(/<style|\sstyle=/);
    }
  });

  it('the console takes a change from its own page only; a file opens at the address Deskie gives', async () => {
    const base = await started;
    const files = new FormData();
    files.append('case[user_email]', 'ann@example.com');
    files.append('case[subject]', 'Broken parcel');
    files.append('case[content]', 'Photo attached');
    files.append('case[attachments][1]', new Blob(['photo bytes'], { type: 'image/png' }), 'photo.png');
    const created = await fetch(`${base}/_deskie/api/cases.json`, {
      method: 'POST',
      headers: { authorization: AUTH },
      body: files,
    });
    const { case: kase } = (await created.json()) as {
      case: { case_id: number; attachments: { file_id: number; url: string }[] };
    };
    const [file] = kase.attachments;
    expect(await (await fetch(file!.url)).text()).toBe('photo bytes');
    expect((await fetch(`${base}/_deskie/files/${file!.file_id}/photo.png`)).status).toBe(404);

    const page = await (await fetch(`${base}/_deskie/console`)).text();
    const token = /name="token" value="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
    const post = (origin: string) =>
      fetch(`${base}/_deskie/console/cases/${kase.case_id}/status`, {
        method: 'POST',
        headers: { origin },
        body: new URLSearchParams({ status: 'closed', token }),
        redirect: 'manual',
      });
    const status = async () =>
      (
        (await (
          await fetch(`${base}/_deskie/api/cases/${kase.case_id}.json`, { headers: { authorization: AUTH } })
        ).json()) as {
          case: { status: string };
        }
      ).case.status;
    const forged = await post('https://evil.example');
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(await status()).toBe('open');
    expect((await post(base)).status).toBe(303);
    expect(await status()).toBe('closed');
  });
});
