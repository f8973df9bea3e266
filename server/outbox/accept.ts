/**
 * Accepting submissions into the outbox, with group commit: submissions that arrive while a batch
 * is being written share the next write — one statement for their rows (and, with files, one
 * transaction for rows and files), so one commit and one sync however many visitors sent at once.
 * On PostgreSQL a batch without files is one round trip. D1 has neither transactions nor room for a
 * batch's parameters (100 a statement), so there each submission is its own single statement.
 *
 * A row with an Idempotency-Key already stored (two requests with one key, here or on another
 * instance) is skipped by the insert (`on conflict do nothing`) and answered with the first one.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { createBatcher } from '../core/batch';
import type { Engine, OutboxDatabase } from '../db/schema';
import type { Upload } from '../deskie/client';
import { ms, toSubmission } from './rows';
import { tableVault } from './table-vault';
import type { FileVault, NewSubmission, OutboxStore } from './types';

type Db = Kysely<OutboxDatabase>;
type Accepted = Awaited<ReturnType<OutboxStore['accept']>>;
interface Arrival {
  submission: NewSubmission;
  files: Upload[];
}

/** The most submissions one write takes. */
export const BATCH_LIMIT = 64;

const byKey = (db: Db, formId: string, key: string) =>
  db
    .selectFrom('submissions')
    .selectAll()
    .where('form_id', '=', formId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();

/** The row a new submission is stored as: pending, due now. */
const rowOf = (s: NewSubmission) => ({
  id: s.id,
  form_id: s.formId,
  idempotency_key: s.idempotencyKey,
  fingerprint: s.fingerprint,
  // Typed on the way in (intake built it); parsed only where rows come back out.
  payload: JSON.stringify(s.payload),
  status: 'pending' as const,
  attempts: 0,
  uncertain: 0,
  next_attempt_at: ms(s.now),
  lease_owner: null,
  lease_until: null,
  case_id: null,
  case_number: null,
  last_error: null,
  created_at: ms(s.now),
  delivered_at: null,
  purged_at: null,
  dead_at: null,
  notify_at: null,
  notify_attempts: 0,
  notified_at: null,
});
type Row = ReturnType<typeof rowOf>;

type Inserter = (db: Pick<Db, 'insertInto' | 'executeQuery'>, rows: Row[]) => Promise<Set<string>>;

/**
 * Inserts rows, skipping any whose key is taken; resolves with the ids it inserted. The statement
 * for each number of rows is built by Kysely once and kept as SQL: building and compiling a
 * 23-column insert anew for every batch cost ~3 % of a queued submission's CPU. It is kept only
 * when it is what Kysely sends — its parameters the rows' values in the order rowOf writes them —
 * so a change in either shows as a statement built every time, never as a wrong one.
 */
function newInserter(): Inserter {
  const sqlOf = new Map<number, string | null>();
  return async (db, rows) => {
    const values = rows.flatMap((row) => Object.values(row));
    const known = sqlOf.get(rows.length);
    let query: CompiledQuery<{ id: string }>;
    if (known) query = CompiledQuery.raw(known, values) as CompiledQuery<{ id: string }>;
    else {
      query = db
        .insertInto('submissions')
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .compile();
      if (known === undefined) {
        const { sql, parameters } = query;
        const same = parameters.length === values.length && parameters.every((p, i) => p === values[i]);
        sqlOf.set(rows.length, same ? sql : null);
      }
    }
    const inserted = (await db.executeQuery(query)).rows;
    return new Set(inserted.map((r) => r.id));
  };
}

/** Writes one batch: files first into an outside vault, or with the rows in one transaction. */
async function writeBatch(
  db: Db,
  insertNew: Inserter,
  vault: FileVault | undefined,
  batch: Arrival[],
  rows: Row[],
) {
  const withFiles = batch.filter((a) => a.files.length > 0);
  if (vault) {
    await Promise.all(withFiles.map((a) => vault.put(a.submission.id, a.files)));
    const inserted = await insertNew(db, rows).catch(async (error: unknown) => {
      await Promise.all(withFiles.map((a) => vault.delete(a.submission.id).catch(() => {})));
      throw error;
    });
    // A repeat that lost the race leaves no files behind.
    const strays = withFiles.filter((a) => !inserted.has(a.submission.id));
    await Promise.all(strays.map((a) => vault.delete(a.submission.id).catch(() => {})));
    return inserted;
  }
  // One statement is atomic by itself: a transaction only where the files go with the rows.
  if (withFiles.length === 0) return insertNew(db, rows);
  return db.transaction().execute(async (tx) => {
    const inserted = await insertNew(tx, rows);
    for (const a of withFiles)
      if (inserted.has(a.submission.id)) await tableVault(tx).put(a.submission.id, a.files);
    return inserted;
  });
}

/** What each arrival of a batch is answered: its new row, or the one stored first under its key. */
async function answers(db: Db, batch: Arrival[], rows: Row[], inserted: Set<string>): Promise<Accepted[]> {
  return Promise.all(
    batch.map(async ({ submission: s }, i) => {
      const row = rows[i];
      // The row is what was just written: no need to read it back, nor to parse (or write) its
      // payload again.
      if (row && inserted.has(s.id))
        return { row: { ...row, uncertain: false, payload: s.payload }, created: true };
      const known = s.idempotencyKey ? await byKey(db, s.formId, s.idempotencyKey) : undefined;
      if (!known) throw new Error(`submission ${s.id} was neither stored nor found`);
      return { row: toSubmission(known), created: false };
    }),
  );
}

/** The outbox's accept on `db`; with a `vault`, files are kept there rather than in the database. */
export function createAcceptor(db: Db, engine: Engine, vault: FileVault | undefined): OutboxStore['accept'] {
  const insertNew = newInserter();
  const write = async (batch: Arrival[]) => {
    const rows = batch.map((a) => rowOf(a.submission));
    return answers(db, batch, rows, await writeBatch(db, insertNew, vault, batch, rows));
  };
  const batched = engine === 'd1' ? undefined : createBatcher(write, BATCH_LIMIT);
  return async (submission, files) => {
    if (submission.idempotencyKey) {
      const known = await byKey(db, submission.formId, submission.idempotencyKey);
      if (known) return { row: toSubmission(known), created: false };
    }
    const arrival = { submission, files };
    if (batched) return batched(arrival);
    const [answer] = await write([arrival]);
    if (!answer) throw new Error(`submission ${submission.id} was not answered`);
    return answer;
  };
}

/** The submission stored under `key` for `formId`, if any (repeats, and intake's captcha check). */
export const storedByKey = async (db: Db, formId: string, key: string) => {
  const row = await byKey(db, formId, key);
  return row && toSubmission(row);
};
