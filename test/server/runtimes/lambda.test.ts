/**
 * The Lambda entry with API Gateway (HTTP API, payload 2.0) and Function URL events, in Node,
 * against a real PostgreSQL and the simulator over HTTP: a submission becomes a case; with Deskie
 * down it is queued and the scheduled drain delivers it once Deskie is back; lookups work; the
 * per-address limit holds across containers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../server/config/schema';
import { createLambdaBackend } from '../../../server/runtimes/lambda-backend';
import { DEMO_CONFIG, validValues } from '../../helpers/backend';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';
import { startSimulator } from '../../helpers/serve';

type Answer = { statusCode: number; headers: Record<string, string>; body: string };

/** An HTTP API (payload 2.0) event; `functionUrl` makes it the one a Function URL sends. */
function event(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; ip?: string; functionUrl?: boolean } = {},
): LambdaEvent {
  const domain = options.functionUrl
    ? 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws'
    : 'abc123.execute-api.eu-west-1.amazonaws.com';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: domain,
      origin: 'https://shop.example',
      'user-agent': 'LambdaTest/1.0',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: options.functionUrl ? 'abcdefghijklmnop' : 'abc123',
      domainName: domain,
      domainPrefix: domain.split('.')[0],
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: options.ip ?? '203.0.113.7',
        userAgent: 'LambdaTest/1.0',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    isBase64Encoded: false,
  } as unknown as LambdaEvent;
}

const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as LambdaContext;

describe.skipIf(!postgresUrl)('AWS Lambda entry', () => {
  const sim = { url: '', faults: async (_: Record<string, unknown>) => {} };
  let env: Record<string, string>;
  let lambda: typeof import('../../../server/runtimes/lambda');

  beforeAll(async () => {
    const simulator = await startSimulator({ rpm: 1_000_000 });
    sim.url = simulator.url;
    sim.faults = async (patch) => {
      await simulator.raw('/_sim/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(patch),
      });
    };
    const dir = mkdtempSync(join(tmpdir(), 'deskie-lambda-'));
    writeFileSync(
      join(dir, 'forms.json'),
      JSON.stringify({
        ...DEMO_CONFIG,
        forms: [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 0 }],
        allowedOrigins: ['https://shop.example'],
        limits: { submissions: { limit: 3, windowSeconds: 60 }, lookups: { limit: 100, windowSeconds: 60 } },
        // The simulator answers at once: a lost answer is looked for after a second, not 30.
        delivery: { reconcileAfterSeconds: 1 },
      }),
    );
    env = {
      DESKIE_URL: simulator.url,
      DESKIE_STAFF_EMAIL: 'demo@example.com',
      DESKIE_API_KEY: 'demo-key',
      DESKIE_FORM_SECRET: 'lambda-test-secret-0123456789abcdef',
      DESKIE_FORM_DATABASE: await freshDatabase(),
      DESKIE_FORM_CONFIG: join(dir, 'forms.json'),
    };
    Object.assign(process.env, env);
    lambda = await import('../../../server/runtimes/lambda');
  });

  const call = async (e: LambdaEvent) => (await lambda.handler(e, context)) as unknown as Answer;

  it('serves the form to API Gateway and files a request from a Function URL as a case', async () => {
    const form = await call(event('GET', '/v1/forms/support'));
    expect(form.statusCode).toBe(200);
    expect(form.headers['access-control-allow-origin']).toBe('https://shop.example');
    const token = form.headers['form-token'] ?? '';
    const sent = await call(
      event('POST', '/v1/forms/support/submissions', {
        functionUrl: true,
        body: { formToken: token, values: validValues({ subject: 'Filed through a Function URL' }) },
        headers: { 'idempotency-key': 'lambda-key-0001' },
      }),
    );
    expect(sent.statusCode).toBe(201);
    const created = JSON.parse(sent.body) as { caseNumber: string; lookupToken: string };
    const status = await call(
      event('POST', '/v1/forms/support/status', { body: { token: created.lookupToken } }),
    );
    expect(JSON.parse(status.body)).toMatchObject({
      caseNumber: created.caseNumber,
      subject: 'Filed through a Function URL',
      status: 'open',
    });
  });

  it('queues a request while Deskie is down; the scheduled drain files it once Deskie is back', async () => {
    const token = (await call(event('GET', '/v1/forms/support'))).headers['form-token'] ?? '';
    await sim.faults({ errorRate: 1 });
    const sent = await call(
      event('POST', '/v1/forms/support/submissions', {
        ip: '198.51.100.2',
        body: { formToken: token, values: validValues({ subject: 'Sent during an outage' }) },
        headers: { 'idempotency-key': 'lambda-key-0002' },
      }),
    );
    expect(sent.statusCode).toBe(202);
    const queued = JSON.parse(sent.body) as { receipt: string; lookupToken: string };
    const waiting = await call(
      event('POST', '/v1/forms/support/status', { body: { token: queued.lookupToken } }),
    );
    expect(JSON.parse(waiting.body)).toMatchObject({ status: 'queued', receipt: queued.receipt });

    await sim.faults({ errorRate: 0 });
    // Backoff after the failed fast path: the row is due again within a few seconds.
    let delivered = 0;
    for (let tries = 0; delivered === 0 && tries < 40; tries++) {
      delivered = (await lambda.drain({}, { getRemainingTimeInMillis: () => 12_000 })).delivered;
      if (delivered === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(delivered).toBe(1);
    const filed = await call(
      event('POST', '/v1/forms/support/status', { body: { token: queued.lookupToken } }),
    );
    expect(JSON.parse(filed.body)).toMatchObject({ status: 'open', subject: 'Sent during an outage' });
    expect((await lambda.drain({}, context)).delivered).toBe(0);
  }, 40_000);

  it('holds the per-address limit across containers (counted in PostgreSQL)', async () => {
    const other = await createLambdaBackend(env);
    const { handle } = await import('hono/aws-lambda');
    const second = (e: LambdaEvent) => handle(other.app)(e, context) as unknown as Promise<Answer>;
    const token = (await call(event('GET', '/v1/forms/support'))).headers['form-token'] ?? '';
    const send = (via: (e: LambdaEvent) => Promise<Answer>, n: number) =>
      via(
        event('POST', '/v1/forms/support/submissions', {
          ip: '192.0.2.55',
          body: { formToken: token, values: validValues({ subject: `Burst ${n}` }) },
          headers: { 'idempotency-key': `lambda-burst-${n}-0000` },
        }),
      );
    const codes = [
      (await send(call, 1)).statusCode,
      (await send(second, 2)).statusCode,
      (await send(call, 3)).statusCode,
      (await send(second, 4)).statusCode,
    ];
    expect(codes).toEqual([201, 201, 201, 429]);
    await other.close();
  });

  it('wants the captcha secret when a form has a captcha, before connecting anywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskie-lambda-captcha-'));
    const captchaForm = { ...DEMO_CONFIG.forms[0], captcha: { provider: 'hcaptcha', siteKey: 'site-key' } };
    writeFileSync(join(dir, 'forms.json'), JSON.stringify({ ...DEMO_CONFIG, forms: [captchaForm] }));
    const error = await createLambdaBackend({
      ...env,
      DESKIE_FORM_DATABASE: 'postgres://nobody@127.0.0.1:1/none',
      DESKIE_FORM_CONFIG: join(dir, 'forms.json'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'CAPTCHA_SECRET: is required because form "support" has a captcha',
    ]);
  });

  it('refuses to start without PostgreSQL or a Deskie account, naming each variable', async () => {
    const error = await createLambdaBackend({ DESKIE_FORM_DATABASE: './outbox.sqlite' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const text = String((error as ConfigError).message);
    expect(text).toContain('DESKIE_URL: a Lambda needs a Deskie account');
    expect(text).toContain('DESKIE_FORM_DATABASE: a Lambda needs a postgres:// URL');
    expect(text).toContain('DESKIE_FORM_CONFIG');
  });
});
