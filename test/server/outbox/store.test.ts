/**
 * The outbox's contract, held by every engine: SQLite (embedded), PostgreSQL (shared) and D1 with
 * its files in R2 (Workers).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../server/db/postgres';
import { openSqlite } from '../../../server/db/sqlite';
import { createOutboxStore } from '../../../server/outbox/store';
import { type OutboxStore, payloadEmail, payloadSubject } from '../../../server/outbox/types';
import { freshD1Outbox } from '../../helpers/d1';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';

const engines: [string, () => Promise<OutboxStore>][] = [
  ['SQLite', async () => createOutboxStore(await openSqlite(':memory:'))],
  ['D1 + R2', freshD1Outbox],
];
if (postgresUrl)
  engines.push(['PostgreSQL', async () => createOutboxStore(await openPostgres(await freshDatabase()))]);
else describe.skip('PostgreSQL outbox (no server: set DESKIE_TEST_POSTGRES_URL, as .ci/run does)', () => {});

const submission = (id: string, now: number, key: string | null = null, email = 'a@b.co') => ({
  id,
  formId: 'support',
  idempotencyKey: key,
  fingerprint: `fp-${id}`,
  payload: { case: { user_email: email, subject: id, content: 'x' } },
  now,
});
const file = [{ name: 'a.txt', type: 'text/plain', data: new Uint8Array([1, 2]) }];

describe.each(engines)('%s outbox', (_, open) => {
  let store: OutboxStore;
  const stores: OutboxStore[] = [];
  const fresh = async () => {
    store = await open();
    stores.push(store);
    return store;
  };
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  it('stores a submission with its files once per idempotency key', async () => {
    await fresh();
    const files = [{ name: 'a.png', type: 'image/png', data: new Uint8Array([1, 2, 3]) }];
    const first = await store.accept(submission('sub_1', 1000, 'key-1'), files);
    const again = await store.accept(submission('sub_2', 2000, 'key-1'), []);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({
      created: false,
      row: { id: 'sub_1', fingerprint: 'fp-sub_1', status: 'pending', created_at: 1000 },
    });
    expect(await store.files('sub_1')).toEqual(files);
    // The same key at once from two requests: one row.
    const racing = await Promise.all(
      [1, 2, 3].map((i) => store.accept(submission(`sub_r${i}`, 3000, 'key-race'), [])),
    );
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.row.id)).size).toBe(1);
  });

  it('stores submissions sent together, with their files and repeats, each once (group commit)', async () => {
    await fresh();
    await store.accept(submission('sub_first', 500, 'key-known'), []);
    const together = await Promise.all([
      ...Array.from({ length: 70 }, (_, i) =>
        store.accept(submission(`sub_g${i}`, 1000 + i, `key-g${i}`), i % 10 === 0 ? file : []),
      ),
      store.accept(submission('sub_repeat', 2000, 'key-known'), []),
    ]);
    expect(together.filter((a) => a.created)).toHaveLength(70);
    expect(together.at(-1)).toMatchObject({ created: false, row: { id: 'sub_first' } });
    expect((await store.stats()).pending).toBe(71);
    expect(await store.files('sub_g10')).toEqual(file);
    expect(await store.files('sub_g11')).toEqual([]);
    expect(await store.get('sub_g69')).toMatchObject({ status: 'pending', created_at: 1069 });
  });

  it('leases a fresh submission and marks it sending in one write (the fast path)', async () => {
    await fresh();
    await store.accept(submission('sub_fast', 1000), []);
    expect(await store.claim('w', 2000, 60_000, 'sub_fast', true)).toMatchObject({
      status: 'delivering',
      lease_owner: 'w',
      uncertain: true,
      attempts: 1,
    });
    // One that may have reached Deskie is never taken this way: it is looked for first.
    await store.reschedule('sub_fast', 'w', 2000, 'DESKIE_TIMEOUT', true);
    expect(await store.claim('w', 3000, 60_000, 'sub_fast', true)).toBeUndefined();
    expect(await store.claim('w', 3000, 60_000, 'sub_fast')).toMatchObject({ uncertain: true, attempts: 1 });
  });

  it('hands out due submissions oldest first, each to one claimer only', async () => {
    await fresh();
    for (let i = 0; i < 20; i++)
      await store.accept(submission(`sub_${String(i).padStart(2, '0')}`, 1000 + i), []);
    await store.accept({ ...submission('sub_later', 500), now: 500 }, []);
    const first = await store.claim('w1', 5000, 60_000);
    expect(first?.id).toBe('sub_later');
    const claimed = await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.claim(`w${i}`, 5000, 60_000)),
    );
    const ids = claimed.filter((r) => r !== undefined).map((r) => r.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(await store.claim('w-late', 5000, 60_000)).toBeUndefined();
  });

  it('takes over a lease that ran out, and only the lease holder may settle', async () => {
    await fresh();
    await store.accept(submission('sub_1', 1000), [
      { name: 'f', type: 'text/plain', data: new Uint8Array([104]) },
    ]);
    await store.claim('dead-worker', 1000, 100);
    expect(await store.claim('other', 1050, 100)).toBeUndefined();
    const taken = await store.claim('other', 1200, 100);
    expect(taken?.lease_owner).toBe('other');
    expect(await store.markSending('sub_1', 'dead-worker')).toBe(false);
    expect(await store.markSending('sub_1', 'other')).toBe(true);
    expect((await store.get('sub_1'))?.uncertain).toBe(true);
    expect(await store.markDelivered('sub_1', 'other', 2000, '123-456789', 1300)).toBe(true);
    expect(await store.get('sub_1')).toMatchObject({
      status: 'delivered',
      case_id: 2000,
      case_number: '123-456789',
      uncertain: false,
      attempts: 1,
    });
    expect(await store.files('sub_1')).toEqual([]);
  });

  it('reschedules, dead-letters, retries, counts', async () => {
    await fresh();
    await store.accept(submission('sub_a', 1000), []);
    await store.accept(submission('sub_b', 2000), []);
    await store.claim('w', 3000, 60_000, 'sub_a');
    await store.reschedule('sub_a', 'w', 10_000, 'DESKIE_UNAVAILABLE', true);
    expect(await store.nextDueAt()).toBe(2000);
    expect(await store.claim('w', 3000, 60_000, 'sub_a')).toBeUndefined();
    await store.claim('w', 3000, 60_000, 'sub_b');
    await store.markDead('sub_b', 'w', 'DESKIE_REJECTED', { at: 3000, notify: false });
    expect(await store.stats()).toEqual({ pending: 1, dead: 1, deadRetryable: 1, oldestPendingAt: 1000 });
    expect((await store.list({ status: 'dead' })).map((r) => r.id)).toEqual(['sub_b']);
    expect(await store.retry('sub_a', 4000)).toBe(false);
    expect(await store.retry('sub_b', 4000)).toBe(true);
    expect(await store.claim('w', 4000, 60_000)).toMatchObject({ id: 'sub_b', attempts: 0 });
    expect(await store.release('w')).toBe(1);
    expect(await store.stats()).toEqual({ pending: 2, dead: 0, deadRetryable: 0, oldestPendingAt: 1000 });
  });

  it('owes the owner one notice per death until it is accepted, whoever sends it; a retry drops an unsent one', async () => {
    await fresh();
    await store.accept(submission('sub_n', 1000), []);
    await store.accept(submission('sub_quiet', 1000), []);
    await store.claim('w', 2000, 60_000, 'sub_n');
    expect(await store.markDead('sub_n', 'w', 'DESKIE_REJECTED', { at: 2000, notify: true })).toBe(true);
    // Dead before a webhook was configured: nothing owed.
    await store.claim('w', 2000, 60_000, 'sub_quiet');
    await store.markDead('sub_quiet', 'w', 'DESKIE_REJECTED', { at: 2000, notify: false });
    expect(await store.nextNoticeAt()).toBe(2000);
    expect(await store.dueNotices(1999, 10)).toEqual([]);
    expect(await store.dueNotices(2000, 10)).toMatchObject([
      { id: 'sub_n', dead_at: 2000, notify_at: 2000, notify_attempts: 0, notified_at: null },
    ]);
    // Two instances read it at once: one of them takes it.
    const takes = await Promise.all([
      store.claimNotice('sub_n', 2000, 32_000),
      store.claimNotice('sub_n', 2000, 32_000),
    ]);
    expect(takes.filter(Boolean)).toHaveLength(1);
    expect(await store.dueNotices(31_999, 10)).toEqual([]);
    // Its sender died mid-send: the notice is due again at the retry time it set.
    expect(await store.dueNotices(32_000, 10)).toMatchObject([{ id: 'sub_n', notify_attempts: 1 }]);
    expect(await store.claimNotice('sub_n', 32_000, 92_000)).toBe(true);
    expect(await store.settleNotice('sub_n', 2000, 33_000)).toBe(true);
    expect(await store.get('sub_n')).toMatchObject({
      notify_at: null,
      notified_at: 33_000,
      notify_attempts: 2,
    });
    expect(await store.nextNoticeAt()).toBeNull();

    // Retried, and dead again: a new death owes a notice of its own.
    expect(await store.retry('sub_n', 40_000)).toBe(true);
    await store.claim('w', 40_000, 60_000, 'sub_n');
    await store.markDead('sub_n', 'w', 'DESKIE_REJECTED', { at: 41_000, notify: true });
    expect(await store.get('sub_n')).toMatchObject({
      dead_at: 41_000,
      notify_at: 41_000,
      notify_attempts: 0,
      notified_at: null,
    });
    // A late answer about the first death settles nothing of the second.
    expect(await store.settleNotice('sub_n', 2000, 41_500)).toBe(false);
    // Retried before its notice went out: the operator knows, nothing is owed.
    expect(await store.retry('sub_n', 42_000)).toBe(true);
    expect(await store.get('sub_n')).toMatchObject({ status: 'pending', notify_at: null });
    expect(await store.nextNoticeAt()).toBeNull();
    expect(await store.dueNotices(100_000, 10)).toEqual([]);
  });

  /** Takes `id` through a delivery (case `caseId`) or to the dead letters. */
  const settle = async (id: string, now: number, caseId?: number) => {
    await store.claim('w', now, 60_000, id);
    if (caseId === undefined) await store.markDead(id, 'w', 'DESKIE_REJECTED', { at: now, notify: false });
    else await store.markDelivered(id, 'w', caseId, `100-00000${caseId}`, now);
  };

  it('retention drops old payloads and files, keeping what lookups and repeats need', async () => {
    await fresh();
    await store.accept(submission('sub_old', 1000, 'key-old'), file);
    await store.accept(submission('sub_new', 2000), []);
    await store.accept(submission('sub_dead', 1000), file);
    await store.accept(submission('sub_wait', 1000), file);
    await settle('sub_old', 5000, 1);
    await settle('sub_new', 90_000, 2);
    await settle('sub_dead', 5000);
    expect(await store.purge(100_000, { deliveredBefore: 50_000, deadBefore: 50_000 })).toBe(2);
    expect(await store.get('sub_old')).toMatchObject({
      payload: null,
      purged_at: 100_000,
      case_id: 1,
      case_number: '100-000001',
      idempotency_key: 'key-old',
      fingerprint: 'fp-sub_old',
    });
    // A repeat of the purged submission still finds it, and its case.
    expect(await store.accept(submission('sub_again', 110_000, 'key-old'), [])).toMatchObject({
      created: false,
      row: { id: 'sub_old', case_number: '100-000001' },
    });
    expect(await store.get('sub_dead')).toMatchObject({ payload: null, purged_at: 100_000 });
    expect(await store.files('sub_dead')).toEqual([]);
    expect(await store.retry('sub_dead', 110_000)).toBe(false);
    // Past retrying, a dead letter no longer waits for the owner (readiness stops saying so).
    expect(await store.stats()).toMatchObject({ dead: 1, deadRetryable: 0 });
    expect(payloadSubject((await store.get('sub_new'))!.payload!)).toBe('sub_new');
    expect(payloadSubject((await store.get('sub_wait'))!.payload!)).toBe('sub_wait');
    expect(await store.files('sub_wait')).toEqual(file);
    expect(await store.purge(120_000, { deliveredBefore: 50_000, deadBefore: 50_000 })).toBe(0);
  });

  it("erases one person's submissions: the undelivered deleted with their files, the delivered emptied", async () => {
    await fresh();
    await store.accept(submission('sub_q', 1000, null, 'Ann@Example.com'), file);
    await store.accept(submission('sub_d', 1000, null, 'ann@example.com'), []);
    await store.accept(submission('sub_x', 1000, null, 'ann@example.com'), file);
    await store.accept(submission('sub_busy', 1000, null, 'ann@example.com'), []);
    await store.accept(submission('sub_other', 1000, null, 'bob@example.com'), file);
    await settle('sub_d', 2000, 7);
    await settle('sub_x', 2000);
    await store.claim('w', 2000, 60_000, 'sub_busy');
    const erased = await store.erase(' ann@example.com ', 3000);
    expect(erased.deleted.map((r) => r.id).sort()).toEqual(['sub_q', 'sub_x']);
    expect(erased.purged.map((r) => r.id)).toEqual(['sub_d']);
    expect(erased.busy.map((r) => r.id)).toEqual(['sub_busy']);
    expect(await store.get('sub_q')).toBeUndefined();
    expect(await store.files('sub_q')).toEqual([]);
    expect(await store.files('sub_x')).toEqual([]);
    expect(await store.get('sub_d')).toMatchObject({ payload: null, case_number: '100-000007' });
    expect(payloadEmail((await store.get('sub_other'))!.payload!)).toBe('bob@example.com');
    expect(await store.files('sub_other')).toEqual(file);
  });
});

describe.each(engines)('%s outbox times', (_, open) => {
  it('takes fractional milliseconds (jittered backoff) in every time column', async () => {
    const store = await open();
    await store.accept(submission('sub_f', 1000.5), []);
    expect(await store.claim('w', 1001.25, 60_000.75, 'sub_f')).toMatchObject({
      id: 'sub_f',
      created_at: 1001,
    });
    expect(await store.renew('sub_f', 'w', 5000.5)).toBe(true);
    expect(await store.reschedule('sub_f', 'w', 9000.123, 'DESKIE_UNAVAILABLE', false)).toBe(true);
    expect(await store.nextDueAt()).toBe(9000);
    await store.close();
  });
});

describe('SQLite outbox start-up', () => {
  it("takes back a crashed run's leases; one caught mid-send is looked for in Deskie no sooner than told", async () => {
    const store = createOutboxStore(await openSqlite(':memory:'));
    await store.accept(submission('sub_sending', 1000), []);
    await store.accept(submission('sub_claimed', 1000), []);
    await store.claim('crashed', 2000, 60_000, 'sub_sending');
    await store.markSending('sub_sending', 'crashed');
    await store.claim('crashed', 2000, 60_000, 'sub_claimed');
    expect(await store.recover(40_000)).toBe(2);
    expect(await store.claim('next', 3000, 60_000)).toMatchObject({ id: 'sub_claimed' });
    expect(await store.claim('next', 39_999, 60_000)).toBeUndefined();
    expect(await store.claim('next', 40_000, 60_000)).toMatchObject({ id: 'sub_sending', uncertain: true });
  });
});

describe('D1 outbox start-up', () => {
  it('leaves the leases of other isolates alone (D1 is shared, unlike a SQLite file)', async () => {
    const store = await freshD1Outbox();
    await store.accept(submission('sub_1', 1000), []);
    await store.claim('isolate-a', 1000, 60_000);
    expect(await store.recover(1000)).toBe(0);
    expect(await store.claim('isolate-b', 2000, 60_000)).toBeUndefined();
    expect(await store.claim('isolate-b', 61_001, 60_000)).toMatchObject({ lease_owner: 'isolate-b' });
  });
});
