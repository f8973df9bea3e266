/**
 * The Worker inside workerd (`wrangler dev`, local D1 and R2) against the simulator over HTTP on
 * 127.0.0.1: the form definition and the widget are served; a submission with a file becomes a
 * case; with Deskie down it is queued (its file in R2) and the Cron Trigger's handler files it once
 * Deskie is back; lookups work; the per-address limit is counted in D1; bad bindings get a typed
 * error.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../server/config/schema';
import { widgetHeaders } from '../../../server/http/widget-headers';
import { createWorkerBackend } from '../../../server/runtimes/worker-backend';
import type { SimCase } from '../../../server/simulator/state';
import { DEMO_CONFIG, validValues } from '../../helpers/backend';
import { type Started, startCommand } from '../../helpers/process';
import { PATIENCE, startSimulator } from '../../helpers/serve';
import { startReceiver } from '../../helpers/webhook';

const ORIGIN = 'https://shop.example';
const NOTIFY_SECRET = 'worker-notify-secret-0123456789abcdef';
/** The owner's webhook: Date.now is the clock the Worker signs with too. */
const receiver = await startReceiver(NOTIFY_SECRET, Date.now);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** `wrangler dev` on the repo's wrangler.jsonc, with these vars and the local D1/R2 kept in `persist`. */
async function startWorker(vars: Record<string, string>, config: string, persist: string) {
  const [port, inspector] = [await freePort(), await freePort()];
  const args = [
    'node_modules/wrangler/bin/wrangler.js',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspector),
    '--persist-to',
    persist,
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    // As npm run deploy:workers does: the config is built into the Worker.
    '--define',
    `__DESKIE_FORM_CONFIG__:${JSON.stringify(config)}`,
  ];
  // Offline: no telemetry, no Cloudflare lookups (see docs/deployment.md).
  const worker = startCommand(process.execPath, args, {
    CI: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
  });
  await worker.waitFor(/Ready on http:\/\/127\.0\.0\.1:\d+/, 60_000);
  return { url: `http://127.0.0.1:${port}`, worker };
}

describe('Cloudflare Worker in workerd', () => {
  let base = '';
  let logs: string[] = [];
  let running: Started | undefined;
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  const persist = mkdtempSync(join(tmpdir(), 'deskie-worker-'));
  const output = () => [...logs, running?.output() ?? ''].join('');

  /**
   * (Re)starts the worker on `deskie` with the demo form and `config` over it; D1/R2 persist in
   * `dir` (by default the same for every start).
   */
  const start = async (deskie: string, config: Record<string, unknown> = {}, dir = persist) => {
    if (running) {
      logs.push(running.output());
      running.child.kill('SIGTERM');
      await running.exited;
    }
    const started = await startWorker(
      {
        DESKIE_URL: deskie,
        DESKIE_STAFF_EMAIL: 'demo@example.com',
        DESKIE_API_KEY: 'demo-key',
        DESKIE_FORM_SECRET: 'worker-test-secret-0123456789abcdef',
        DESKIE_FORM_NOTIFY_SECRET: NOTIFY_SECRET,
      },
      JSON.stringify({
        ...DEMO_CONFIG,
        forms: [
          { ...DEMO_CONFIG.forms[0], minFillSeconds: 0 },
          // Files into a label Deskie does not have: every case is refused for good.
          { ...DEMO_CONFIG.forms[0], id: 'refused', minFillSeconds: 0, case: { labels: [999] } },
        ],
        notify: { url: receiver.url },
        allowedOrigins: [ORIGIN],
        // An address's window outlasts the whole file, restarts included, however slow they are.
        limits: {
          submissions: { limit: 4, windowSeconds: 3_600 },
          lookups: { limit: 100, windowSeconds: 3_600 },
        },
        // The simulator answers at once: a lost answer is looked for after a second, not 30.
        delivery: { reconcileAfterSeconds: 1 },
        ...config,
      }),
      dir,
    );
    base = started.url;
    running = started.worker;
  };

  beforeAll(async () => {
    logs = [];
    simulator = await startSimulator({ rpm: 1_000_000 });
    await start(simulator.url);
  }, 90_000);

  const formToken = async () => {
    const answer = await fetch(`${base}/v1/forms/support`, { headers: { origin: ORIGIN } });
    return answer.headers.get('form-token') ?? '';
  };
  /** A multipart submission with one text file, from `ip` (Cloudflare's CF-Connecting-IP). */
  const submit = async (subject: string, key: string, ip: string) => {
    const body = new FormData();
    body.set('payload', JSON.stringify({ formToken: await formToken(), values: validValues({ subject }) }));
    body.append('attachments', new File([`notes for ${subject}\n`], 'notes.txt', { type: 'text/plain' }));
    return fetch(`${base}/v1/forms/support/submissions`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'idempotency-key': key, 'cf-connecting-ip': ip },
      body,
    });
  };
  const lookup = async (token: string) =>
    (await (
      await fetch(`${base}/v1/forms/support/status`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      })
    ).json()) as Record<string, unknown>;
  const caseBySubject = (subject: string) => simulator.sim.state.cases.find((c) => c.subject === subject);
  /** The files Deskie got with a case: name, type and text. */
  const files = (filed: SimCase) =>
    filed.attachments.map((f) => [f.file_name, f.mime_type, new TextDecoder().decode(f.data)]);

  it('serves the form definition and the widget with the same headers as Node', async () => {
    const form = await fetch(`${base}/v1/forms/support`, { headers: { origin: ORIGIN } });
    expect(form.status).toBe(200);
    expect(form.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const body = (await form.json()) as { form: { title: string; fields: { key: string }[] } };
    expect(body.form.title).toBe('Contact support');
    expect(body.form.fields.map((f) => f.key)).toContain('message');

    // The widget comes from Cloudflare's static assets, with the headers Node sends (dist/_headers),
    // without running the Worker: no request line of the app's for it.
    const loader = await fetch(`${base}/deskie-form.js`);
    expect(loader.status).toBe(200);
    const chunk = (await loader.text()).match(/app-[\w-]+\.js/)?.[0];
    const app = await fetch(`${base}/deskie-form/${chunk}`);
    expect(app.status).toBe(200);
    await app.arrayBuffer();
    for (const [answer, immutable] of [
      [loader, false],
      [app, true],
    ] as const)
      for (const [name, value] of Object.entries(widgetHeaders(immutable)))
        expect(answer.headers.get(name), name).toBe(value);
    expect(output()).not.toMatch(/"path":"\/deskie-form/);
    expect((await fetch(`${base}/_headers`)).status).toBe(404);
    // The API's description is built in the Worker too (zod's JSON Schema step, trimmed by alias).
    const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain('/v1/forms/{id}/submissions');
    // Only the widget is public: nothing else under dist/ or the project is served.
    expect((await fetch(`${base}/wrangler.jsonc`)).status).toBe(404);
  });

  it('files a submission with a file as a case, and its lookup token shows it', async () => {
    const sent = await submit('Filed from workerd', 'worker-key-0001', '203.0.113.10');
    expect(sent.status).toBe(201);
    const created = (await sent.json()) as { caseNumber: string; lookupToken: string };
    const filed = caseBySubject('Filed from workerd');
    expect(filed?.case_number).toBe(created.caseNumber);
    expect(filed && files(filed)).toEqual([['notes.txt', 'text/plain', 'notes for Filed from workerd\n']]);
    expect(await lookup(created.lookupToken)).toMatchObject({
      caseNumber: created.caseNumber,
      subject: 'Filed from workerd',
      status: 'open',
    });
    // The same key again: the same case, not a second one.
    const again = await submit('Filed from workerd', 'worker-key-0001', '203.0.113.10');
    expect(((await again.json()) as { caseNumber: string }).caseNumber).toBe(created.caseNumber);
    expect(simulator.sim.state.cases.filter((c) => c.subject === 'Filed from workerd')).toHaveLength(1);
  });

  it('queues a submission while Deskie is down; the Cron Trigger files it, file included, once Deskie is back', async () => {
    simulator.sim.setFaults({ errorRate: 1 });
    const sent = await submit('Sent during an outage', 'worker-key-0002', '203.0.113.11');
    expect(sent.status).toBe(202);
    const queued = (await sent.json()) as { receipt: string; lookupToken: string };
    expect(await lookup(queued.lookupToken)).toMatchObject({ status: 'queued', receipt: queued.receipt });

    simulator.sim.setFaults({ errorRate: 0 });
    // The failed attempt backs off for a few seconds; each scheduled run delivers what is due.
    for (let tries = 0; !caseBySubject('Sent during an outage') && tries < 60; tries++) {
      const run = await fetch(`${base}/__scheduled?cron=*+*+*+*+*`);
      expect(run.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const filed = caseBySubject('Sent during an outage');
    expect(filed && files(filed)).toEqual([['notes.txt', 'text/plain', 'notes for Sent during an outage\n']]);
    expect(await lookup(queued.lookupToken)).toMatchObject({
      status: 'open',
      subject: 'Sent during an outage',
      caseNumber: filed?.case_number,
    });
    expect(output()).toMatch(/"msg":"outbox drained","delivered":1,"why":"scheduled"/);
  }, 60_000);

  it('a dead letter degrades readiness, and the Cron Trigger tells the webhook, signed with Web Crypto', async () => {
    const form = await fetch(`${base}/v1/forms/refused`, { headers: { origin: ORIGIN } });
    const body = new FormData();
    const values = validValues({ subject: 'Refused in workerd' });
    body.set('payload', JSON.stringify({ formToken: form.headers.get('form-token'), values }));
    const sent = await fetch(`${base}/v1/forms/refused/submissions`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        'idempotency-key': 'worker-refused-0001',
        'cf-connecting-ip': '203.0.113.12',
      },
      body,
    });
    expect(sent.status).toBe(202);
    const { receipt } = (await sent.json()) as { receipt: string };
    // The refusal may be recorded after the 202 went out (waitUntil): wait for it, not for time.
    await vi.waitFor(async () => {
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({
        status: 'degraded',
        outbox: { dead: 1 },
        reasons: [{ code: 'DEAD_LETTERS' }],
      });
      expect(output()).toMatch(/"level":"error","msg":"submission dead-lettered"/);
    }, PATIENCE);

    expect((await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), PATIENCE);
    expect(receiver.received[0]).toMatchObject({
      verified: true,
      status: 204,
      body: { type: 'submission.dead_lettered', submission: receipt, form: 'refused' },
    });
    expect(receiver.received[0]?.raw).not.toContain('ann@example.com');
  }, 60_000);

  it('counts the per-address limit in D1: the fifth submission from one address is refused', async () => {
    const codes: number[] = [];
    for (let n = 1; n <= 5; n++)
      codes.push((await submit(`Burst ${n}`, `worker-burst-${n}-0000`, '192.0.2.77')).status);
    expect(codes).toEqual([201, 201, 201, 201, 429]);
    // Another address is not affected.
    expect((await submit('Another visitor', 'worker-other-0000', '192.0.2.78')).status).toBe(201);
  });

  it('after a restart on the same D1, the address limit still holds', async () => {
    await start(simulator.url);
    expect((await submit('Burst 6', 'worker-burst-6-0000', '192.0.2.77')).status).toBe(429);
  }, 90_000);

  it('answers requests over the budget at once and files them after the answer, in order, without a 429', async () => {
    // 4 calls a window — reading the form's fields (1) and one case (2) — in a window far longer
    // than the burst, on a fresh D1 so that no earlier test's calls count: the first request is
    // filed at once, the next two find no budget whatever the speed of this machine.
    const WINDOW = 10_000;
    const tight = await startSimulator({ rpm: 4, windowMs: WINDOW });
    await start(
      tight.url,
      { deskie: { rpm: 4, share: 1, windowMs: WINDOW } },
      mkdtempSync(join(tmpdir(), 'deskie-worker-tight-')),
    );
    const statuses: number[] = [];
    for (const [n, subject] of ['First', 'Second', 'Third'].entries())
      statuses.push(
        (await submit(`${subject} in the window`, `worker-tight-000${n}`, `198.51.100.2${n}`)).status,
      );
    expect(statuses).toEqual([201, 202, 202]);
    // No scheduled run: the one drain after the answers waits for budget (the fields' call leaves
    // the window, then the first case's) and files them in order.
    await vi.waitFor(() => expect(tight.sim.state.cases).toHaveLength(3), {
      timeout: 6 * WINDOW,
      interval: 250,
    });
    expect(tight.sim.state.cases.map((c) => c.subject)).toEqual([
      'First in the window',
      'Second in the window',
      'Third in the window',
    ]);
    // wrangler dev runs no Cron Trigger on its own (only /__scheduled, not called here).
    expect(tight.sim.stats.throttled).toBe(0);
  }, 150_000);

  it('never lets the Deskie key or the signing secrets reach a response or a log line', () => {
    expect(output()).not.toContain('demo-key');
    expect(output()).not.toContain('worker-test-secret');
    expect(output()).not.toContain(NOTIFY_SECRET);
  });
});

describe('Worker bindings', () => {
  it('a Worker without its bindings and variables refuses to start, naming each one', async () => {
    const error = await createWorkerBackend({ DESKIE_FORM_CONFIG: '{"forms": [' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    expect(text).toContain('DESKIE_URL: a Worker needs a Deskie account');
    expect(text).toContain('DB: bind a D1 database');
    expect(text).toContain('FILES: bind an R2 bucket');
    expect(text).toContain('DESKIE_FORM_CONFIG: not valid JSON');
  });

  it('wants the captcha secret when a form has a captcha, as Node does', async () => {
    const error = await createWorkerBackend({
      DESKIE_FORM_CONFIG: {
        ...DEMO_CONFIG,
        forms: [{ ...DEMO_CONFIG.forms[0], captcha: { provider: 'turnstile', siteKey: '0x4AAA' } }],
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toContain(
      'CAPTCHA_SECRET: is required because form "support" has a captcha',
    );
  });

  it('checks the config object like the Node config file, key by key', async () => {
    const error = await createWorkerBackend({
      DESKIE_FORM_CONFIG: { forms: [{ id: 'Bad Id!', fields: [] }] },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.some((p) => p.startsWith('forms[0].id'))).toBe(true);
  });

  it('a misconfigured Worker answers every request with a typed error and logs each problem by name', async () => {
    const { default: worker } = await import('../../../server/runtimes/worker');
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      const answer = await worker.fetch(
        new Request('https://forms.example/v1/forms/support'),
        {
          DESKIE_URL: 'https://acme.deskie.io',
          DESKIE_STAFF_EMAIL: 'ops@acme.example',
          DESKIE_API_KEY: 'sk-misconfigured-key',
        },
        {} as never,
      );
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({
        error: {
          code: 'INTERNAL_ERROR',
          message: 'This form is not set up correctly. Please try again later.',
        },
      });
    } finally {
      log.mockRestore();
    }
    const logged = lines.join('\n');
    expect(logged).toContain('worker misconfigured');
    expect(logged).toContain('DESKIE_FORM_SECRET: is required with a real Deskie account');
    expect(logged).toContain('DB: bind a D1 database');
    expect(logged).toContain('DESKIE_FORM_CONFIG: a Worker needs its config');
    expect(logged).not.toContain('sk-misconfigured-key');

    // The Cron Trigger on the same Worker logs the same problems instead of failing unseen.
    const waited: Promise<unknown>[] = [];
    const again = vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      lines.length = 0;
      await worker.scheduled({} as never, {}, {
        waitUntil: (p: Promise<unknown>) => waited.push(p),
      } as never);
      await Promise.all(waited);
    } finally {
      again.mockRestore();
    }
    expect(lines.join('\n')).toContain('worker misconfigured');
    expect(lines.join('\n')).toContain('FILES: bind an R2 bucket');
  });
});
