/**
 * Dead letters are never silent: the owner's webhook hears of each one exactly once, signed, with
 * no personal data, however often it fails first — and a crash between the death and the notice
 * forgets nothing. The receiver is a real HTTP server on 127.0.0.1 that checks every signature.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openSqlite } from '../../../server/db/sqlite';
import { DEMO_CONFIG, manualTimeouts, startBackend, validValues } from '../../helpers/backend';
import { backendEnv, startEntry } from '../../helpers/process';
import { PATIENCE, startSimulator } from '../../helpers/serve';
import { startReceiver } from '../../helpers/webhook';

const NOTIFY_SECRET = 'notify-secret-0123456789-abcdefghijkl';
/** The demo form filing into a label Deskie does not have: Deskie refuses every case for good. */
const refusedForm = { ...DEMO_CONFIG.forms[0], case: { labels: [999] } };
const SECOND = 1000;

/** A backend whose cases die, telling a receiver that checks signatures on the backend's clock. */
async function dying(options: { database?: Awaited<ReturnType<typeof openSqlite>> } = {}) {
  let now = () => 0;
  const receiver = await startReceiver(NOTIFY_SECRET, () => now());
  const timeouts = manualTimeouts();
  const b = await startBackend({
    config: { forms: [refusedForm], notify: { url: receiver.url } },
    parts: {
      notify: {
        url: receiver.url,
        secret: NOTIFY_SECRET,
        timeoutMs: 10 * SECOND,
        timeoutSignal: timeouts.signal,
      },
    },
    ...(options.database ? { database: options.database } : {}),
  });
  now = b.clock.now;
  /** Files a request with a file; returns its receipt (the outbox id). */
  const fileAndDie = async () => {
    const { formToken } = await b.getForm();
    const form = new FormData();
    form.append('payload', JSON.stringify({ formToken, values: validValues() }));
    form.append('attachments', new Blob(['scan'], { type: 'text/plain' }), 'passport-ann-example.txt');
    const answer = await b.app.request('/v1/forms/support/submissions', { method: 'POST', body: form });
    expect(answer.status).toBe(202);
    return ((await answer.json()) as { receipt: string }).receipt;
  };
  return { ...b, notifier: b.notifier!, receiver, timeouts, fileAndDie };
}

const logged = (logs: string[], msg: string) =>
  logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);

describe('a dead letter tells the owner', () => {
  it('once, signed, retried with backoff until the webhook answers 2xx, with no personal data', async () => {
    const t = await dying();
    t.receiver.failNext(2);
    const id = await t.fileAndDie();
    const diedAt = t.clock.now();
    expect(logged(t.logs, 'submission dead-lettered')).toMatchObject([
      { level: 'error', id, form: 'support' },
    ]);

    expect(await t.notifier.sendDue()).toBe(0);
    expect(t.receiver.received).toHaveLength(1);
    expect(logged(t.logs, 'dead letter notification failed')).toMatchObject([
      { level: 'warn', id, attempt: 1, error: 'HTTP 500' },
    ]);
    // Not again before its time: 30 s, then 60 s.
    expect(await t.notifier.sendDue()).toBe(0);
    t.clock.advance(30 * SECOND);
    expect(await t.notifier.sendDue()).toBe(0);
    expect(t.receiver.received).toHaveLength(2);
    t.clock.advance(59 * SECOND);
    expect(await t.notifier.sendDue()).toBe(0);
    expect(t.receiver.received).toHaveLength(2);
    t.clock.advance(1 * SECOND);
    expect(await t.notifier.sendDue()).toBe(1);
    t.clock.advance(3 * 24 * 3600 * SECOND);
    expect(await t.notifier.sendDue()).toBe(0);

    expect(t.receiver.received.map((r) => r.status)).toEqual([500, 500, 204]);
    expect(t.receiver.received.every((r) => r.verified)).toBe(true);
    const [notice] = t.receiver.accepted();
    expect(notice?.headers['deskie-form-event']).toBe('submission.dead_lettered');
    expect(notice?.body).toEqual({
      type: 'submission.dead_lettered',
      id: `${id}.${diedAt}`,
      submission: id,
      form: 'support',
      acceptedAt: new Date(diedAt).toISOString(),
      deadAt: new Date(diedAt).toISOString(),
      reason: 'DESKIE_REJECTED (label_not_found) HTTP 400',
      attempts: 1,
    });
    // Every attempt names the same death, so a receiver can drop a repeat.
    expect(new Set(t.receiver.received.map((r) => r.body.id)).size).toBe(1);
    for (const personal of ['Ann', 'ann@', 'parcel', 'Ordered on Monday', 'A-1001', 'passport'])
      expect(t.receiver.received.map((r) => r.raw).join('\n')).not.toContain(personal);
    expect(logged(t.logs, 'dead letter notified')).toMatchObject([{ level: 'info', id, attempt: 3 }]);
    expect(await t.outbox.get(id)).toMatchObject({ status: 'dead', notified_at: diedAt + 90 * SECOND });
  });

  it('signs what a receiver can check: an altered body or a replay later on is refused', async () => {
    const t = await dying();
    await t.fileAndDie();
    await t.notifier.sendDue();
    const [notice] = t.receiver.accepted();
    expect(notice?.headers['deskie-form-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(notice?.headers['deskie-form-timestamp']).toBe(String(Math.floor(t.clock.now() / 1000)));
    expect(
      (await t.receiver.replay({ ...notice!, raw: notice!.raw.replace('support', 'billing') })).status,
    ).toBe(401);
    t.clock.advance(6 * 60 * SECOND);
    expect((await t.receiver.replay(notice!)).status).toBe(401);
    expect(t.receiver.accepted()).toHaveLength(1);
  });

  it('tries a webhook that does not answer again, and gives up after a day with an error', async () => {
    const t = await dying();
    const id = await t.fileAndDie();
    t.receiver.hold(true);
    const sending = t.notifier.sendDue();
    await vi.waitFor(() => expect(t.receiver.received).toHaveLength(1), PATIENCE);
    expect(t.timeouts.expire()).toBe(1);
    expect(await sending).toBe(0);
    expect(logged(t.logs, 'dead letter notification failed')).toMatchObject([
      { id, error: 'no answer within 10000 ms' },
    ]);
    t.receiver.hold(false);
    t.receiver.failNext(1_000);
    // From one due time to the next (30 s doubling to an hour) until it is given up.
    for (let next = await t.outbox.nextNoticeAt(); next !== null; next = await t.outbox.nextNoticeAt()) {
      t.clock.set(next);
      await t.notifier.sendDue();
    }
    const attempts = t.receiver.received.length;
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(35);
    expect(logged(t.logs, 'dead letter notification given up')).toMatchObject([
      { level: 'error', id, attempt: attempts, error: 'HTTP 500' },
    ]);
    t.clock.advance(7 * 24 * 3600 * SECOND);
    expect(await t.notifier.sendDue()).toBe(0);
    expect(t.receiver.received).toHaveLength(attempts);
    // Given up on, the dead letter still waits for the owner: readiness keeps saying so.
    expect(await (await t.app.request('/readyz')).json()).toMatchObject({ status: 'degraded' });
  });

  it('after a crash between the death and the notice, the next run tells it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deskie-notify-')), 'outbox.sqlite');
    const first = await dying({ database: await openSqlite(path) });
    const id = await first.fileAndDie();
    // The process dies here: its notifier never ran.
    await first.outbox.close();

    const next = await dying({ database: await openSqlite(path) });
    next.clock.set(first.clock.now() + 60 * SECOND); // restarted a minute later
    expect(await next.notifier.sendDue()).toBe(1);
    expect(next.receiver.accepted().map((r) => r.body.submission)).toEqual([id]);
    expect(await next.notifier.sendDue()).toBe(0);
    expect(first.receiver.received).toEqual([]);
    await next.outbox.close();
  });

  it('a retried dead letter is not told of again; dying again is a new notice', async () => {
    const t = await dying();
    const id = await t.fileAndDie();
    await t.notifier.sendDue();
    expect(await t.outbox.retry(id, t.clock.now())).toBe(true);
    t.clock.advance(SECOND);
    expect(await t.drainer.drainDue()).toBe(1);
    expect(await t.notifier.sendDue()).toBe(1);
    const deaths = t.receiver.accepted().map((r) => r.body.id);
    expect(deaths).toHaveLength(2);
    expect(new Set(deaths).size).toBe(2);

    // Retried while its notice is still failing: the notice is dropped, and the delivery succeeds.
    t.receiver.failNext(1);
    t.clock.advance(SECOND);
    expect(await t.outbox.retry(id, t.clock.now())).toBe(true);
    expect(await t.drainer.drainDue()).toBe(1);
    expect(await t.notifier.sendDue()).toBe(0); // the third death: 500
    expect(await t.outbox.retry(id, t.clock.now())).toBe(true);
    t.sim.state.seed.labels.push({ label_id: 999, label_title: 'fixed' });
    expect(await t.drainer.drainDue()).toBe(1);
    expect(await t.outbox.get(id)).toMatchObject({ status: 'delivered' });
    t.clock.advance(24 * 3600 * SECOND);
    expect(await t.notifier.sendDue()).toBe(0);
    expect(t.receiver.received.map((r) => r.status)).toEqual([204, 204, 500]);
    expect(await (await t.app.request('/readyz')).json()).toMatchObject({ status: 'ready', reasons: [] });
  });
});

describe('npm start with a webhook', () => {
  it('tells it of a dead letter as it happens, and refuses to start without the secret', async () => {
    const { url } = await startSimulator({ rpm: 1_000_000 });
    const receiver = await startReceiver(NOTIFY_SECRET, Date.now);
    const env = backendEnv(url, {
      config: {
        forms: [{ ...refusedForm, minFillSeconds: 0 }],
        notify: { url: receiver.url },
        // The form names a label Deskie lacks on purpose (its case dies): no start-up check stops it.
        deskie: { checkAtStart: false },
      },
    });
    const unsigned = startEntry('server/runtimes/node.ts', env);
    expect(await unsigned.exited).toBe(1);
    expect(unsigned.output()).toContain(
      'DESKIE_FORM_NOTIFY_SECRET: is required because the config has notify.url',
    );

    const app = startEntry('server/runtimes/node.ts', { ...env, DESKIE_FORM_NOTIFY_SECRET: NOTIFY_SECRET });
    const [, base] = await app.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
    const { formToken } = (await (await fetch(`${base}/v1/forms/support`)).json()) as { formToken: string };
    const answer = await fetch(`${base}/v1/forms/support/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ formToken, values: validValues() }),
    });
    expect(answer.status).toBe(202);
    const { receipt } = (await answer.json()) as { receipt: string };
    await vi.waitFor(() => expect(receiver.accepted()).toHaveLength(1), PATIENCE);
    expect(receiver.received).toMatchObject([{ verified: true, body: { submission: receipt } }]);
    await app.waitFor(/"level":"info","msg":"dead letter notified"/);
    expect(app.output()).not.toContain(NOTIFY_SECRET);
  });
});
