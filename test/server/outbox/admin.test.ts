import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../server/db/sqlite';
import { createOutboxStore } from '../../../server/outbox/store';
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
    await store.markDead('sub_dead', 'test', 'DESKIE_REJECTED (label_not_found) HTTP 400');
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
});
