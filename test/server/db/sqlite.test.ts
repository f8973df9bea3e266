/**
 * The SQLite file's writes: durable before their promise settles (the WAL synced off the event
 * loop), and shared — submissions sent together take one commit and one sync.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../server/db/sqlite';
import { newSubmissionId } from '../../../server/intake/idempotency';
import { createOutboxStore } from '../../../server/outbox/store';
import type { OutboxStore } from '../../../server/outbox/types';

const submission = (id: string, idempotencyKey: string | undefined = `key-${id}`) => ({
  id,
  formId: 'support',
  idempotencyKey,
  fingerprint: `fp-${id}`,
  payload: { case: { user_email: 'a@b.co', subject: id, content: 'x' } },
  now: 1000,
});

describe('SQLite outbox file', () => {
  const stores: OutboxStore[] = [];
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  it('writes submissions sent together in one commit and one sync, and reopens with all of them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deskie-sqlite-')), 'outbox.sqlite');
    const database = await openSqlite(path);
    const store = createOutboxStore(database);
    await store.accept(submission('sub_alone'), []);
    const before = { ...database.stats };
    // The first of them goes at once; the other 40 arrive while it is written and go together.
    await Promise.all(Array.from({ length: 41 }, (_, i) => store.accept(submission(`sub_${i}`), [])));
    expect(database.stats.commits - before.commits).toBe(2);
    expect(database.stats.syncs - before.syncs).toBeLessThanOrEqual(2);
    await store.close();

    const reopened = createOutboxStore(await openSqlite(path));
    stores.push(reopened);
    expect((await reopened.stats()).pending).toBe(42);
  });

  it('delivers on the fast path with two commits: leased and marked sending, then delivered', async () => {
    const database = await openSqlite(join(mkdtempSync(join(tmpdir(), 'deskie-sqlite-')), 'outbox.sqlite'));
    const store = createOutboxStore(database);
    stores.push(store);
    await store.accept(submission('sub_fast'), []);
    const before = database.stats.commits;
    await store.claim('w', 2000, 60_000, 'sub_fast', true);
    await store.markDelivered('sub_fast', 'w', 7, '100-7', 3000);
    expect(database.stats.commits - before).toBe(2);
  });

  it('looks in the files table only for submissions that may have files', async () => {
    const database = await openSqlite(join(mkdtempSync(join(tmpdir(), 'deskie-sqlite-')), 'outbox.sqlite'));
    const touched: string[] = [];
    // Every statement on the attachments table, as the database receives it.
    const watched = database.db.withPlugin({
      transformQuery: ({ node }) => {
        if (JSON.stringify(node).includes('"attachments"')) touched.push(node.kind);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const store = createOutboxStore({ ...database, db: watched });
    const other = createOutboxStore({ ...database, db: watched }); // another instance, or after a restart
    stores.push(store);
    const file = { name: 'a.txt', type: 'text/plain', data: new TextEncoder().encode('hi') };
    await store.accept(submission('sub_plain'), []);
    await store.accept(submission('sub_files'), [file]);
    await store.accept(submission('sub_queued'), []);
    touched.length = 0;

    // Stored here without files: delivered without a statement on the files table.
    expect(await store.files('sub_plain')).toEqual([]);
    await store.claim('w', 2000, 60_000, 'sub_plain', true);
    await store.markDelivered('sub_plain', 'w', 7, '100-7', 3000);
    expect(touched).toEqual([]);
    // With files: read, and deleted once Deskie has them.
    expect((await store.files('sub_files')).map((f) => f.name)).toEqual(['a.txt']);
    await store.claim('w', 2000, 60_000, 'sub_files', true);
    await store.markDelivered('sub_files', 'w', 8, '100-8', 3000);
    expect(touched).toEqual(['SelectQueryNode', 'DeleteQueryNode']);
    expect(await other.files('sub_files')).toEqual([]);
    // What this process does not know, it asks: another instance delivering it reads the table.
    touched.length = 0;
    expect(await other.files('sub_queued')).toEqual([]);
    expect(touched).toEqual(['SelectQueryNode']);
  });

  it('stores a batch of new submissions in a few pages of the file, however many it already holds', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'deskie-sqlite-')), 'outbox.sqlite');
    const store = createOutboxStore(await openSqlite(path));
    stores.push(store);
    let now = Date.UTC(2026, 11, 1);
    /** A batch of `count` submissions with ids as intake makes them, a millisecond apart. */
    const batch = (count: number) =>
      Promise.all(
        Array.from({ length: count }, () => store.accept(submission(newSubmissionId(++now), undefined), [])),
      );
    for (let i = 0; i < 160; i++) await batch(64);
    // The log emptied, then one more batch: what it wrote is what a batch costs the disk.
    const file = new SQLite(path);
    file.pragma('wal_checkpoint(TRUNCATE)');
    await batch(50);
    const pages = statSync(`${path}-wal`).size / (file.pragma('page_size', { simple: true }) as number);
    file.close();
    // ~22 pages here: the rows, the ends of the three indexes, their parents. Random ids put each
    // submission at its own place in the id index, a page rewritten for each (~108 pages).
    expect(pages).toBeLessThan(40);
  });

  it('builds the insert for a batch of a size once, and stores every batch of that size with it', async () => {
    const database = await openSqlite(join(mkdtempSync(join(tmpdir(), 'deskie-sqlite-')), 'outbox.sqlite'));
    let built = 0;
    const watched = database.db.withPlugin({
      transformQuery: ({ node }) => {
        if (node.kind === 'InsertQueryNode') built += 1;
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const store = createOutboxStore({ ...database, db: watched });
    stores.push(store);
    let n = 0;
    const batch = () =>
      Promise.all(Array.from({ length: 8 }, () => store.accept(submission(`sub_b${++n}`, undefined), [])));
    // Each time: the first goes alone, the other seven together.
    for (let i = 0; i < 5; i++) await batch();
    expect(built).toBe(2);
    expect((await store.stats()).pending).toBe(40);
  });
});
