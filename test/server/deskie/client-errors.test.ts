import { Hono } from 'hono';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeskieClient } from '../../../server/deskie/client';
import { DeskieError } from '../../../server/deskie/errors';
import { createGovernor, type GovernorEvent } from '../../../server/rate/governor';
import { nodeFetch } from '../../../server/runtimes/node-fetch';
import { noFaults } from '../../../server/simulator/faults';
import { manualTimeouts } from '../../helpers/backend';
import { listen, PATIENCE, startSimulator } from '../../helpers/serve';

// A compressed window (600 ms = one Deskie minute, so one Deskie second is 10 ms) keeps retry_after short.
const { sim, url, client: simClient } = await startSimulator({ rpm: 100_000, windowMs: 600 });
/** Both ways a call can travel: the global fetch (Workers, tests) and the Node and Lambda runtimes' own. */
const FETCHES = [
  ['fetch', globalThis.fetch],
  ['the Node runtime', nodeFetch],
] as const;

/** Waits until the `n`th request has reached Deskie and is the one it keeps waiting, then times it out. */
async function timeOut(timeouts: ReturnType<typeof manualTimeouts>, n: number) {
  await vi.waitFor(() => expect([sim.stats.requests, sim.held]).toEqual([n, 1]), PATIENCE);
  expect(timeouts.expire()).toBe(1);
}

beforeEach(() => {
  sim.state.reset();
  sim.setFaults(noFaults());
  sim.stats.requests = 0;
  sim.stats.throttled = 0;
});

const newCase = { user_email: 'ann@example.com', subject: 'Help me', content: 'Please.' };

/** The DeskieError a call rejects with. */
async function failure(promise: Promise<unknown>): Promise<DeskieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeskieError);
  return error as DeskieError;
}

describe.each(FETCHES)('Deskie client errors, through %s', (_, fetch) => {
  const makeClient = (overrides: Parameters<typeof simClient>[0] = {}) => simClient({ fetch, ...overrides });
  // The default timeout: an ordinary call never times out because the machine is busy.
  const client = makeClient();

  it('a wrong API key is DESKIE_AUTH_FAILED (401) and the key is in no message', async () => {
    const error = await failure(makeClient({ apiKey: 'sk-secret-wrong' }).listLabels());
    expect(error).toMatchObject({ code: 'DESKIE_AUTH_FAILED', status: 401, retryable: false });
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain('sk-secret-wrong');
  });

  it('an unknown staff email is DESKIE_FORBIDDEN (403)', async () => {
    const error = await failure(makeClient({ staffEmail: 'stranger@example.com' }).listLabels());
    expect(error).toMatchObject({ code: 'DESKIE_FORBIDDEN', status: 403 });
  });

  it('an unknown case is DESKIE_NOT_FOUND with case_not_found', async () => {
    const error = await failure(client.getCase('999-999999'));
    expect(error).toMatchObject({ code: 'DESKIE_NOT_FOUND', status: 404, deskieCode: 'case_not_found' });
    expect(sim.stats.requests).toBe(1);
  });

  it('data Deskie refuses is DESKIE_REJECTED with its code, not retried', async () => {
    const error = await failure(client.createCase({ ...newCase, user_email: 'not-an-email' }));
    expect(error).toMatchObject({
      code: 'DESKIE_REJECTED',
      status: 400,
      deskieCode: 'incorrect_user_email',
      retryable: false,
      ambiguous: false,
    });
    const badField = await failure(
      client.createCase({ ...newCase, custom_fields: { cf_9: 'no-such-option' } }),
    );
    expect(badField.deskieCode).toBe('incorrect_custom_field_value');
    expect(sim.stats.requests).toBe(2);
  });

  it('retries a read after 5xx answers and succeeds', async () => {
    sim.setFaults({ failNext: 2 });
    expect(await client.listLabels()).toHaveLength(3);
    expect(sim.stats.requests).toBe(3);
  });

  it('gives up a read after three 5xx answers with DESKIE_UNAVAILABLE', async () => {
    sim.setFaults({ errorRate: 1 });
    const error = await failure(client.listLabels());
    expect(error).toMatchObject({ code: 'DESKIE_UNAVAILABLE', status: 503, retryable: true });
    expect(sim.stats.requests).toBe(3);
  });

  it('never repeats a write after a 5xx, and flags it as possibly done', async () => {
    sim.setFaults({ failNext: 1 });
    const error = await failure(client.createCase(newCase));
    expect(error).toMatchObject({ code: 'DESKIE_UNAVAILABLE', retryable: true, ambiguous: true });
    expect(sim.stats.requests).toBe(1);
  });

  it('a request with no answer is DESKIE_TIMEOUT; a timed-out write is ambiguous and not repeated', async () => {
    // Deskie keeps every request waiting; each attempt times out once it has arrived.
    const timeouts = manualTimeouts();
    const patient = makeClient({ timeoutSignal: timeouts.signal });
    sim.setFaults({ hold: true });
    const reading = failure(patient.getCase(1));
    for (const n of [1, 2, 3]) await timeOut(timeouts, n);
    expect(await reading).toMatchObject({ code: 'DESKIE_TIMEOUT', retryable: true });
    expect(sim.stats.requests).toBe(3);

    sim.stats.requests = 0;
    await vi.waitFor(() => expect(sim.held).toBe(0), PATIENCE);
    const writing = failure(patient.createCase(newCase));
    await timeOut(timeouts, 1);
    expect(await writing).toMatchObject({ code: 'DESKIE_TIMEOUT', ambiguous: true });
    expect(sim.stats.requests).toBe(1);
  });

  it('added latency beyond the timeout is a timeout too', async () => {
    // A minute of latency: the answer would come, but the client gives up first.
    const timeouts = manualTimeouts();
    sim.setFaults({ latencyMs: 60_000 });
    const listing = failure(makeClient({ timeoutSignal: timeouts.signal, readAttempts: 1 }).listGroups());
    await vi.waitFor(() => expect(sim.stats.requests).toBe(1), PATIENCE);
    expect(timeouts.expire()).toBe(1);
    expect((await listing).code).toBe('DESKIE_TIMEOUT');
  });

  it('a write committed before the connection dropped is DESKIE_NETWORK, ambiguous — and the case exists once', async () => {
    sim.setFaults({ dropAfterCommitRate: 1 });
    const error = await failure(client.createCase(newCase));
    expect(error).toMatchObject({ code: 'DESKIE_NETWORK', ambiguous: true });
    expect(sim.state.cases).toHaveLength(1);
    expect(sim.stats.requests).toBe(1);
  });

  it('a refused connection is DESKIE_NETWORK and, for a write, certainly not done', async () => {
    const closed = await listen(() => new Response('never'));
    await closed.close();
    const offline = createDeskieClient({
      baseUrl: closed.url,
      staffEmail: 'a@b.co',
      apiKey: 'k',
      governor: createGovernor({ rpm: 1000 }),
      readAttempts: 1,
      fetch,
    });
    expect(await failure(offline.createCase(newCase))).toMatchObject({
      code: 'DESKIE_NETWORK',
      ambiguous: false,
    });
  });

  it('a throttled write waits retry_after, is retried, and creates exactly one case', async () => {
    const events: GovernorEvent[] = [];
    const governed = makeClient({
      governor: createGovernor({ rpm: 100_000, windowMs: 600, onEvent: (e) => events.push(e) }),
    });
    sim.setFaults({ forced429: 2 });
    const created = await governed.createCase(newCase);
    expect(created.case_number).toMatch(/^\d{3}-\d{6}$/);
    expect(sim.state.cases).toHaveLength(1);
    expect(sim.stats.throttled).toBe(2);
    expect(events.filter((e) => e.type === 'throttled')).toHaveLength(2);
  });

  it('a write still throttled after every attempt is DESKIE_RATE_LIMITED with the wait Deskie asked for', async () => {
    sim.setFaults({ forced429: 10 });
    const error = await failure(makeClient({ throttledAttempts: 2 }).createCase(newCase));
    expect(error.code).toBe('DESKIE_RATE_LIMITED');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(sim.state.cases).toHaveLength(0);
  });
});

// A server that answers the way Deskie sometimes does and the simulator never would.
let calls = 0;
const odd = new Hono();
odd.get('/api/labels.json', () => {
  calls += 1;
  // The legacy throttling answer of older accounts: a 403 whose body says so.
  if (calls === 1) return new Response('Rate limit exceeded', { status: 403, headers: { retry_after: '1' } });
  return Response.json({ '0': { label: { label_id: 1, label_title: 'x' } }, total_count: 1 });
});
odd.get(
  '/api/groups.json',
  () => new Response('<html>maintenance</html>', { headers: { 'content-type': 'text/html' } }),
);
odd.get('/api/cases/1.json', () => Response.json({ case: { case_id: 1, subject: 'missing the rest' } }));
// An account moved behind a proxy: followed as fetch follows it, whichever way the call went.
odd.get(
  '/api/languages.json',
  () => new Response(null, { status: 307, headers: { location: '/api/v2/languages.json' } }),
);
// A write answered "see other" (post/redirect/get): followed with a GET, the write never sent twice.
let posts = 0;
odd.post('/api/cases.json', () => {
  posts += 1;
  return new Response(null, { status: 303, headers: { location: '/api/cases/1.json' } });
});
odd.get('/api/v2/languages.json', () =>
  Response.json({ '0': { language: { language_id: 2, code: 'de', title: 'Deutsch', active: true } } }),
);
const served = await listen(odd.fetch);

describe.each(FETCHES)('Deskie client against a misbehaving server, through %s', (_, fetch) => {
  const events: GovernorEvent[] = [];
  const oddClient = createDeskieClient({
    baseUrl: served.url,
    staffEmail: 'a@b.co',
    apiKey: 'k',
    governor: createGovernor({ rpm: 1000, windowMs: 600, onEvent: (e) => events.push(e) }),
    readAttempts: 1,
    fetch,
  });
  beforeAll(() => {
    calls = 0;
    posts = 0;
  });

  it('treats the legacy 403 "rate limit exceeded" as throttling and retries', async () => {
    expect(await oddClient.listLabels()).toEqual([{ label_id: 1, label_title: 'x' }]);
    expect(events).toContainEqual({ type: 'throttled', retryAfterMs: 10 });
  });

  it('an answer that is not JSON is DESKIE_BAD_RESPONSE', async () => {
    expect((await failure(oddClient.listGroups())).code).toBe('DESKIE_BAD_RESPONSE');
  });

  it('a redirect is followed to the answer', async () => {
    expect(await oddClient.listLanguages()).toEqual([
      { language_id: 2, code: 'de', title: 'Deutsch', active: true },
    ]);
  });

  it('a write answered 303 is sent once, and its answer read where it points', async () => {
    const newCase = { user_email: 'ann@example.com', subject: 'Hi', content: 'x' };
    // Where it points is the half case below: read, and refused as such.
    expect(await failure(oddClient.createCase(newCase))).toMatchObject({ code: 'DESKIE_BAD_RESPONSE' });
    expect(posts).toBe(1);
  });

  it('a case missing required fields is DESKIE_BAD_RESPONSE, not a crash', async () => {
    expect(await failure(oddClient.getCase(1))).toMatchObject({ code: 'DESKIE_BAD_RESPONSE', status: 200 });
  });

  it('the simulator base URL is where the client sends requests', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
