/** One scenario per error code of the contract: each answers its status, its code and a human message. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { type ErrorCode, errorBody, errorCodes, errorStatus } from '../../../server/contract';
import { guardServer, timeoutOptions } from '../../../server/runtimes/node-guard';
import { DEMO_CONFIG, startBackend, validValues } from '../../helpers/backend';
import { customer, IDENTITY_SECRET, signIdentity } from '../../helpers/identity';
import { exchange } from '../../helpers/raw-http';

const form = DEMO_CONFIG.forms[0];
const t = await startBackend({
  config: {
    forms: [
      form,
      { ...form, id: 'captcha', captcha: { provider: 'turnstile', siteKey: 'k' } },
      {
        ...form,
        id: 'lean',
        fields: [{ key: 'email' }, { key: 'message' }, { key: 'subject' }, { key: 'cf_9' }],
      },
    ],
    allowedOrigins: ['https://shop.example'],
    limits: {
      submissions: { limit: 1000, windowSeconds: 60 },
      lookups: { limit: 3, windowSeconds: 60 },
      bodyBytes: 64 * 1024,
    },
  },
  parts: { captcha: async () => false },
});
const json = { 'content-type': 'application/json' };
const multipart = async (files: Blob[], names: string[]) => {
  const { formToken } = await t.getForm();
  const body = new FormData();
  body.append('payload', JSON.stringify({ formToken, values: validValues() }));
  files.forEach((f, i) => {
    body.append('attachments', f, names[i]);
  });
  return t.app.request('/v1/forms/support/submissions', { method: 'POST', body });
};

/** The app behind the Node server's own guards (runtimes/node-guard.ts), headers due within a second. */
const behindNode = async () => {
  const server = createServer(timeoutOptions(1_000, 5_000), getRequestListener(t.app.fetch));
  guardServer(server, { connectionsPerAddress: 64 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
};

const scenarios: Record<ErrorCode, () => Response | Promise<Response>> = {
  BAD_REQUEST: () =>
    t.app.request('/v1/forms/support/submissions', { method: 'POST', headers: json, body: '{' }),
  FORM_TOKEN_INVALID: () => t.submit(validValues(), { token: 'forged.token' }),
  CAPTCHA_FAILED: () => t.submit(validValues(), { formId: 'captcha', extra: { captchaToken: 'x' } }),
  IDEMPOTENCY_KEY_INVALID: () => t.submit(validValues(), { headers: { 'idempotency-key': 'short' } }),
  IDENTITY_INVALID: () =>
    t.submit(validValues(), { extra: { identityToken: signIdentity(customer(t.clock.now())) } }),
  IDENTITY_EXPIRED: async () => {
    const b = await startBackend({ parts: { identitySecret: IDENTITY_SECRET } });
    const identityToken = signIdentity(customer(b.clock.now(), { exp: 1 }));
    return b.submit(validValues(), { extra: { identityToken } });
  },
  ORIGIN_NOT_ALLOWED: () => t.submit(validValues(), { headers: { origin: 'https://evil.example' } }),
  NOT_FOUND: () => t.lookup({ token: 'nothing' }),
  FORM_NOT_FOUND: () => t.app.request('/v1/forms/missing'),
  METHOD_NOT_ALLOWED: () => t.app.request('/v1/forms/support/status'),
  REQUEST_TIMEOUT: async () =>
    exchange(await behindNode(), 'POST /v1/forms/support/submissions HTTP/1.1\r\n'),
  HEADERS_TOO_LARGE: async () =>
    exchange(await behindNode(), `GET /v1/forms/support HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
  IDEMPOTENCY_KEY_REUSED: async () => {
    await t.submit(validValues(), { headers: { 'idempotency-key': 'reused-key-1' } });
    return t.submit(validValues({ subject: 'Different' }), {
      headers: { 'idempotency-key': 'reused-key-1' },
    });
  },
  LINK_EXPIRED: async () => {
    const ip = { 'x-test-ip': '192.0.2.78' };
    const filed = await t.submit(validValues());
    const { caseNumber, lookupToken } = (await filed.json()) as { caseNumber: string; lookupToken: string };
    const file = { file_name: 'a.txt', mime_type: 'text/plain', data: new TextEncoder().encode('x') };
    t.sim.state.addMessage(t.sim.state.findCase(caseNumber)!, { staff_id: 1 }, 'Attached', [file]);
    const status = (await (await t.lookup({ token: lookupToken }, ip)).json()) as {
      replies: { attachments: { url: string }[] }[];
    };
    t.clock.advance(2 * 3600_000);
    return t.app.request(status.replies[0]!.attachments[0]!.url, { headers: ip });
  },
  CASE_CLOSED: async () => {
    const b = await startBackend({ config: { forms: [{ ...form, replies: { closed: 'refuse' } }] } });
    const { caseNumber, lookupToken } = (await (await b.submit(validValues())).json()) as {
      caseNumber: string;
      lookupToken: string;
    };
    b.sim.state.findCase(caseNumber)!.status = 'closed';
    return b.app.request('/v1/forms/support/replies', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token: lookupToken, text: 'Hello again' }),
    });
  },
  CASE_PENDING: async () => {
    t.sim.setFaults({ failNext: 1 });
    const { lookupToken } = (await (await t.submit(validValues())).json()) as { lookupToken: string };
    return t.app.request('/v1/forms/support/replies', {
      method: 'POST',
      headers: { ...json, 'x-test-ip': '192.0.2.79' },
      body: JSON.stringify({ token: lookupToken, text: 'Any news?' }),
    });
  },
  PAYLOAD_TOO_LARGE: () => t.submit(validValues({ message: 'x'.repeat(70 * 1024) })),
  ATTACHMENT_TOO_LARGE: async () => {
    const b = await startBackend({
      config: { forms: [{ ...form, attachments: { maxFileBytes: 10, maxTotalBytes: 100 } }] },
    });
    const { formToken } = await b.getForm();
    const body = new FormData();
    body.append('payload', JSON.stringify({ formToken, values: validValues() }));
    body.append('attachments', new Blob(['more than ten bytes']), 'a.txt');
    return b.app.request('/v1/forms/support/submissions', { method: 'POST', body });
  },
  UNSUPPORTED_MEDIA_TYPE: () =>
    t.app.request('/v1/forms/support/submissions', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    }),
  ATTACHMENT_TYPE_NOT_ALLOWED: () => multipart([new Blob(['#!/bin/sh\n'])], ['x.sh']),
  VALIDATION_FAILED: () => t.submit(validValues({ email: 'nope' })),
  TOO_MANY_ATTACHMENTS: () =>
    multipart(
      [1, 2, 3, 4].map(() => new Blob(['x'])),
      ['1.txt', '2.txt', '3.txt', '4.txt'],
    ),
  RATE_LIMITED: async () => {
    for (let i = 0; i < 3; i++) await t.lookup({ token: 'x' }, { 'x-test-ip': '192.0.2.77' });
    return t.lookup({ token: 'x' }, { 'x-test-ip': '192.0.2.77' });
  },
  INTERNAL_ERROR: async () => {
    // A bug of ours, not a Deskie failure: the visitor gets a typed 500, the log gets the detail.
    const broken = t.make({
      clientIp: () => {
        throw new TypeError('boom');
      },
    });
    const { lookupToken } = (await (await t.submit(validValues())).json()) as { lookupToken: string };
    return broken.request('/v1/forms/support/status', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token: lookupToken }),
    });
  },
  DESKIE_UNAVAILABLE: async () => {
    const { lookupToken } = (await (await t.submit(validValues())).json()) as { lookupToken: string };
    t.sim.setFaults({ errorRate: 1 });
    const answer = await t.lookup({ token: lookupToken });
    t.sim.setFaults({ errorRate: 0 });
    return answer;
  },
  NOT_READY: async () => {
    const fresh = t.make(); // nothing cached yet
    t.sim.setFaults({ errorRate: 1 });
    const answer = await fresh.request('/v1/forms/lean');
    t.sim.setFaults({ errorRate: 0 });
    return answer;
  },
};

describe('every error code', () => {
  it('has a scenario here', () => {
    expect(Object.keys(scenarios).sort()).toEqual([...errorCodes].sort());
  });

  it.each(errorCodes)('%s', async (code) => {
    const answer = await scenarios[code]();
    const body = await answer.json();
    const parsed = errorBody.safeParse(body);
    expect(parsed.success, JSON.stringify(body)).toBe(true);
    expect(parsed.data?.error.code).toBe(code);
    expect(answer.status).toBe(errorStatus[code]);
    expect(parsed.data?.error.message.length).toBeGreaterThan(10);
  });
});
