/**
 * What the conversation costs Deskie's rate budget, in Deskie's own units (a read counts 1, a
 * write 2), counted on every call the backend sends to the API: a status view (first and again
 * within lookups.cacheSeconds), a file of support's reply, a visitor's reply (to an open case and
 * to a waiting one) and a page of "My requests". The backend runs whole (createBackend) against the
 * simulator over HTTP; the clock is the bench's own, so the cache's window is exact.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { parseConfig } from '../../server/config/schema';
import type { Clock } from '../../server/core/clock';
import { openSqlite } from '../../server/db/sqlite';
import { createOutboxStore } from '../../server/outbox/store';
import { createGovernor } from '../../server/rate/governor';
import { memoryCounters } from '../../server/rate/limits';
import { createBackend } from '../../server/runtimes/backend';
import { createSimulator } from '../../server/simulator/app';

const IDENTITY_SECRET = 'bench-identity-secret-bench-identity-secret';

/** A token as the owner's server signs it (docs/identity.md). */
const identity = (email: string, nowMs: number) => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ email, exp: Math.floor(nowMs / 1000) + 3600 })}`;
  return `${body}.${createHmac('sha256', IDENTITY_SECRET).update(body).digest('base64url')}`;
};

export async function benchConversation(): Promise<Record<string, number>> {
  const sim = createSimulator({ rpm: 1_000_000 });
  const server = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((r) => server.once('listening', r));
  let now = Date.UTC(2026, 10, 30, 12);
  const clock: Clock = { now: () => now, sleep: async () => {} };
  // Every API call the backend sends, priced as Deskie prices it.
  let units = 0;
  const counted: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.includes('/api/')) units += (init?.method ?? 'GET') === 'GET' ? 1 : 2;
    return fetch(input, init);
  };
  const demo = JSON.parse(readFileSync(new URL('../../server/config/demo.json', import.meta.url), 'utf8'));
  const { app, drainer } = createBackend({
    config: parseConfig({ ...demo, lookups: { cacheSeconds: 30 } }),
    account: {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      staffEmail: 'demo@example.com',
      apiKey: 'demo-key',
    },
    secret: 'bench-secret-bench-secret-bench-secret',
    identitySecret: IDENTITY_SECRET,
    storage: {
      outbox: createOutboxStore(await openSqlite(':memory:')),
      governor: createGovernor({ rpm: 1_000_000 }),
      counters: memoryCounters,
    },
    log: () => {},
    instanceId: 'bench',
    clientIp: () => '127.0.0.1',
    clock,
    deskie: { fetch: counted },
  });
  const post = async (path: string, body: unknown) =>
    (await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })) as Response;
  /** Deskie units `step` costs. */
  const cost = async (step: () => Promise<unknown>) => {
    const before = units;
    await step();
    return units - before;
  };

  const { formToken } = (await (await app.request('/v1/forms/support')).json()) as { formToken: string };
  now += 10_000;
  const values = { email: 'ann@example.com', subject: 'Parcel', message: 'Where is it?', cf_9: '2' };
  const filed = (await (await post('/v1/forms/support/submissions', { formToken, values })).json()) as {
    caseNumber: string;
    lookupToken: string;
  };
  const kase = sim.state.findCase(filed.caseNumber);
  if (!kase) throw new Error('conversation: the request was not filed');
  const file = {
    file_name: 'label.pdf',
    mime_type: 'application/pdf',
    data: new TextEncoder().encode('%PDF-1.4'),
  };
  sim.state.addMessage(kase, { staff_id: 1 }, 'The label is attached.', [file]);
  const token = { token: filed.lookupToken };
  let link = '';
  const view = async () => {
    const status = (await (await post('/v1/forms/support/status', token)).json()) as {
      replies: { attachments?: { url: string }[] }[];
    };
    link = status.replies[0]?.attachments?.[0]?.url ?? '';
  };

  const metrics: Record<string, number> = {};
  metrics['conversation.status_view_units'] = await cost(view);
  metrics['conversation.status_view_cached_units'] = await cost(view);
  metrics['conversation.status_view_by_number_units'] = await cost(() =>
    post('/v1/forms/support/status', { caseNumber: filed.caseNumber, email: 'ann@example.com' }),
  );
  metrics['conversation.file_download_units'] = await cost(async () =>
    (await app.request(link)).arrayBuffer(),
  );
  now += 31_000;
  metrics['conversation.file_download_uncached_units'] = await cost(async () =>
    (await app.request(link)).arrayBuffer(),
  );
  await view();
  metrics['conversation.reply_open_units'] = await cost(() =>
    post('/v1/forms/support/replies', { ...token, text: 'Thanks, printing it now.' }),
  );
  kase.status = 'waiting';
  now += 31_000;
  await view();
  metrics['conversation.reply_waiting_units'] = await cost(() =>
    post('/v1/forms/support/replies', { ...token, text: 'Printed, it is on the box.' }),
  );
  const who = identity('ann@example.com', now);
  metrics['conversation.my_requests_page_units'] = await cost(() =>
    post('/v1/forms/support/requests', { identityToken: who }),
  );
  metrics['conversation.my_requests_page_cached_units'] = await cost(() =>
    post('/v1/forms/support/requests', { identityToken: who }),
  );
  await drainer.stop();
  server.close();
  const customerMessages = sim.state.messagesOf(kase).filter((m) => m.staff_id === 0);
  if (customerMessages.length !== 3)
    throw new Error(`conversation: ${customerMessages.length} messages for 3`);
  return metrics;
}
