import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../server/db/sqlite';
import { createOutboxStore } from '../../../server/outbox/store';
import { payloadEmail } from '../../../server/outbox/types';
import { DEMO_CONFIG, startBackend, validValues } from '../../helpers/backend';

const TOKEN = 'admin-token-0123456789abcdef';
const run = promisify(execFile);

describe('dead letters', () => {
  it('are listed and retried through the admin endpoint, then delivered', async () => {
    const b = await startBackend({
      config: { forms: [{ ...DEMO_CONFIG.forms[0], case: { labels: [999] } }] },
    });
    const admin = b.make({ adminToken: TOKEN });
    expect((await b.submit(validValues())).status).toBe(202);
    const auth = { authorization: `Bearer ${TOKEN}` };

    expect((await admin.request('/admin/outbox')).status).toBe(404);
    expect(
      (await admin.request('/admin/outbox', { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(404);
    expect((await b.app.request('/admin/outbox', { headers: auth })).status).toBe(404);

    const listed = (await (await admin.request('/admin/outbox?status=dead', { headers: auth })).json()) as {
      stats: { dead: number };
      submissions: { id: string; lastError: string; email: string; subject: string }[];
    };
    expect(listed.stats.dead).toBe(1);
    expect(listed.submissions[0]).toMatchObject({
      lastError: 'DESKIE_REJECTED (label_not_found) HTTP 400',
      email: 'a***@example.com',
      subject: 'The parcel never came',
    });
    const ready = (await (await admin.request('/readyz')).json()) as { outbox: { dead: number } };
    expect(ready.outbox.dead).toBe(1);

    // The owner fixes the label in Deskie, then retries.
    b.sim.state.seed.labels.push({ label_id: 999, label_title: 'fixed' });
    const id = listed.submissions[0]!.id;
    expect((await admin.request(`/admin/outbox/${id}/retry`, { method: 'POST', headers: auth })).status).toBe(
      200,
    );
    expect((await admin.request(`/admin/outbox/${id}/retry`, { method: 'POST', headers: auth })).status).toBe(
      404,
    );
    expect(await b.drainer.drainDue()).toBe(1);
    expect(b.sim.state.cases).toHaveLength(1);
    expect((await b.outbox.get(id))?.status).toBe('delivered');
  });
});

describe('erasure over HTTP', () => {
  it("erases one person's submissions through the admin endpoint, and only with the token", async () => {
    const b = await startBackend();
    const admin = b.make({ adminToken: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const filed = (await (await b.submit(validValues())).json()) as { caseNumber: string };
    await b.submit(validValues({ email: 'bob@example.com' }));
    const erase = (headers: Record<string, string>, body: unknown) =>
      admin.request('/admin/outbox/erase', { method: 'POST', headers, body: JSON.stringify(body) });

    expect((await erase({ 'content-type': 'application/json' }, { email: 'ann@example.com' })).status).toBe(
      404,
    );
    expect((await erase(auth, { email: 'nobody' })).status).toBe(400);
    const answer = await erase(auth, { email: 'ANN@example.com' });
    expect(await answer.json()).toMatchObject({
      deleted: [],
      emptied: [{ caseNumber: filed.caseNumber }],
      beingDelivered: [],
    });
    const rows = await b.outbox.list({});
    expect(rows.map((r) => (r.payload && payloadEmail(r.payload)) ?? null).sort()).toEqual([
      'bob@example.com',
      null,
    ]);
  });
});

describe('npm run outbox', () => {
  it('shows stats, lists and retries dead letters in the SQLite outbox', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deskie-cli-')), 'outbox.sqlite');
    const store = createOutboxStore(await openSqlite(path));
    const payload = { case: { user_email: 'ann@example.com', subject: 'Stuck', content: 'x' } };
    await store.accept(
      { id: 'sub_dead', formId: 'support', idempotencyKey: null, fingerprint: 'f', payload, now: Date.now() },
      [],
    );
    await store.claim('test', Date.now(), 1000, 'sub_dead');
    await store.markDead('sub_dead', 'test', 'DESKIE_REJECTED (label_not_found) HTTP 400', {
      at: Date.now(),
      notify: false,
    });
    await store.close();

    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/outbox.ts', ...args], {
        env: { ...process.env, DESKIE_FORM_DATABASE: path },
      });
    expect(JSON.parse((await cli('stats')).stdout)).toEqual({ pending: 0, dead: 1, oldestPendingSeconds: 0 });
    const listed = JSON.parse((await cli('list', 'dead')).stdout.trim()) as Record<string, unknown>;
    expect(listed).toMatchObject({
      id: 'sub_dead',
      status: 'dead',
      email: 'a***@example.com',
      lastError: expect.stringContaining('label_not_found'),
    });
    expect((await cli('retry', 'sub_dead')).stdout).toContain('back in the queue');
    await expect(cli('retry', 'sub_dead')).rejects.toMatchObject({ code: 1 });
    expect(JSON.parse((await cli('stats')).stdout)).toMatchObject({ pending: 1, dead: 0 });
    await expect(cli('explode')).rejects.toMatchObject({ code: 2 });
  });

  it("erases one person's submissions and says what it removed", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deskie-cli-')), 'outbox.sqlite');
    const store = createOutboxStore(await openSqlite(path));
    const accept = (id: string, email: string) =>
      store.accept(
        {
          id,
          formId: 'support',
          idempotencyKey: null,
          fingerprint: id,
          payload: { case: { user_email: email, subject: 'Private', content: 'x' } },
          now: Date.now(),
        },
        [{ name: 'scan.pdf', type: 'application/pdf', data: new Uint8Array([1]) }],
      );
    await accept('sub_queued', 'ann@example.com');
    await accept('sub_filed', 'ann@example.com');
    await accept('sub_bob', 'bob@example.com');
    await store.claim('test', Date.now(), 1000, 'sub_filed');
    await store.markDelivered('sub_filed', 'test', 2001, '321-654987', Date.now());
    await store.close();

    const erase = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/outbox.ts', 'erase', ...args], {
        env: { ...process.env, DESKIE_FORM_DATABASE: path },
      });
    const { stdout } = await erase('--email', 'ann@example.com');
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 2).map((l) => JSON.parse(l))).toEqual([
      { id: 'sub_queued', was: 'pending', erased: 'the submission and its files' },
      { id: 'sub_filed', was: 'delivered', caseNumber: '321-654987', erased: 'the message' },
    ]);
    expect(lines[2]).toBe('ann@example.com: 1 deleted, 1 emptied, 0 being delivered');
    expect(lines[3]).toContain('321-654987');
    await expect(erase('--email', 'not an address')).rejects.toMatchObject({ code: 2 });

    const after = createOutboxStore(await openSqlite(path));
    expect(await after.get('sub_queued')).toBeUndefined();
    expect(await after.get('sub_filed')).toMatchObject({ payload: null, case_number: '321-654987' });
    expect(payloadEmail((await after.get('sub_bob'))!.payload!)).toBe('bob@example.com');
    expect(await after.files('sub_bob')).toHaveLength(1);
    await after.close();
  });
});
