/**
 * A process that stores submissions in the SQLite outbox at `DESKIE_TEST_OUTBOX` and stops dead in
 * a batched commit: every sync of the database file after the `DESKIE_TEST_SYNCS_BEFORE_HANG`th
 * never finishes, so the batch's rows are written but nobody is told. It prints `accepted <id>`
 * for each submission answered and `syncing with N rows written` when the sync it hangs on starts: the test's cue to
 * kill it. Submissions (ids `sub_0`…) have keys `key-0`…; the first goes alone, and the rest, queued
while its sync runs, together.
 */
import { open } from 'node:fs/promises';
import SQLite from 'better-sqlite3';
import { openSqlite } from '../../server/db/sqlite';
import { createOutboxStore } from '../../server/outbox/store';

const path = process.env.DESKIE_TEST_OUTBOX ?? '';
const count = Number(process.env.DESKIE_TEST_SUBMISSIONS ?? 20);
const store = createOutboxStore(await openSqlite(path));
// The file handle class Node syncs every file through: the one way in without a hook in the code.
const probe = await open(path, 'r');
const handle = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
await probe.close();
const datasync = handle.datasync;
let allowed = Number(process.env.DESKIE_TEST_SYNCS_BEFORE_HANG ?? 1);
handle.datasync = function (this: unknown) {
  if (allowed-- > 0) return datasync.call(this);
  // What another connection sees of the batch while its sync runs: written, not yet answered.
  const reader = new SQLite(path, { readonly: true });
  const { rows } = reader.prepare('select count(*) as rows from submissions').get() as { rows: number };
  reader.close();
  console.log(`syncing with ${rows} rows written`);
  return new Promise<void>(() => {});
};

const submission = (i: number) => ({
  id: `sub_${i}`,
  formId: 'support',
  idempotencyKey: `key-${i}`,
  fingerprint: `fp-${i}`,
  payload: { case: { user_email: `v${i}@example.com`, subject: `Batch ${i}`, content: 'x' } },
  now: Date.now(),
});
for (let i = 0; i < count; i++)
  void store.accept(submission(i), []).then(({ row }) => console.log(`accepted ${row.id}`));
// Alive until killed, whatever it waits on.
setInterval(() => {}, 60_000);
