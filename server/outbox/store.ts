/**
 * The durable outbox: every accepted submission is a row here before the visitor hears back, and
 * leaves only as a delivered case (kept for idempotency and lookups) or a dead letter (kept until
 * an operator retries it). The same queries serve SQLite, PostgreSQL and D1; only the claim differs
 * (PostgreSQL skips rows other instances hold locked). Files wait in the attachments table, or in a
 * FileVault (R2) where rows must stay small and no transaction can write two tables at once (D1).
 */
import type { Kysely, Selectable } from 'kysely';
import type { Engine, OutboxDatabase, SubmissionStatus, SubmissionsTable } from '../db/schema';
import type { Upload } from '../deskie/client';

export type Submission = Omit<Selectable<SubmissionsTable>, 'uncertain'> & { uncertain: boolean };

export interface NewSubmission {
  id: string;
  formId: string;
  idempotencyKey: string | null;
  fingerprint: string;
  payload: string;
  now: number;
}

export interface OutboxStats {
  pending: number;
  dead: number;
  /** Accept time of the oldest undelivered submission, if any. */
  oldestPendingAt: number | null;
}

export interface OutboxStore {
  readonly engine: Engine;
  /** Stores a submission and its files at once; with a known idempotency key, returns the first one instead. */
  accept(submission: NewSubmission, files: Upload[]): Promise<{ row: Submission; created: boolean }>;
  get(id: string): Promise<Submission | undefined>;
  /** Leases the oldest due submission (or the one named `id`) to `owner` until `now + leaseMs`. */
  claim(owner: string, now: number, leaseMs: number, id?: string): Promise<Submission | undefined>;
  files(id: string): Promise<Upload[]>;
  /** Extends `owner`'s lease (a heartbeat while a delivery is in progress). */
  renew(id: string, owner: string, until: number): Promise<boolean>;
  /** Write-ahead: from here until a definite answer, the case may exist in Deskie. */
  markSending(id: string, owner: string): Promise<boolean>;
  markDelivered(id: string, owner: string, caseId: number, caseNumber: string, now: number): Promise<boolean>;
  /** Back to the queue for another attempt at `nextAt`. */
  reschedule(id: string, owner: string, nextAt: number, error: string, uncertain: boolean): Promise<boolean>;
  markDead(id: string, owner: string, error: string): Promise<boolean>;
  /** Returns every lease `owner` holds (graceful shutdown). */
  release(owner: string): Promise<number>;
  /**
   * At start-up: takes back the leases of a crashed run. SQLite is one process's file, so every
   * lease in it is stale; PostgreSQL is shared, so its leases are left to expire.
   */
  recover(): Promise<number>;
  /** Puts a dead letter back in the queue; false when `id` is not dead. */
  retry(id: string, now: number): Promise<boolean>;
  list(filter: { status?: SubmissionStatus; limit?: number }): Promise<Submission[]>;
  stats(): Promise<OutboxStats>;
  /** The earliest time a pending submission becomes due, if any. */
  nextDueAt(): Promise<number | null>;
  close(): Promise<void>;
}

/** Queued files kept outside the database, by submission id. */
export interface FileVault {
  put(id: string, files: Upload[]): Promise<void>;
  /** In the order they were put; empty when there are none. */
  get(id: string): Promise<Upload[]>;
  delete(id: string): Promise<void>;
}

const toSubmission = (row: Selectable<SubmissionsTable>): Submission => ({
  ...row,
  // PostgreSQL returns bigint as a string.
  attempts: Number(row.attempts),
  uncertain: Number(row.uncertain) === 1,
  next_attempt_at: Number(row.next_attempt_at),
  lease_until: row.lease_until === null ? null : Number(row.lease_until),
  case_id: row.case_id === null ? null : Number(row.case_id),
  created_at: Number(row.created_at),
  delivered_at: row.delivered_at === null ? null : Number(row.delivered_at),
});

/** Epoch milliseconds as the bigint columns take them (PostgreSQL refuses fractions). */
const ms = (time: number) => Math.round(time);

/**
 * An outbox on a Kysely database of any engine (tables created by `migrate`); with a `vault`, the
 * files go there instead of the attachments table.
 */
export function createOutboxStore(
  db: Kysely<OutboxDatabase>,
  engine: Engine,
  onClose: () => Promise<void>,
  vault?: FileVault,
): OutboxStore {
  const held = (id: string, owner: string) =>
    db.updateTable('submissions').where('id', '=', id).where('lease_owner', '=', owner);
  const changed = (result: { numUpdatedRows: bigint }) => result.numUpdatedRows > 0n;
  const byKey = (formId: string, key: string) =>
    db
      .selectFrom('submissions')
      .selectAll()
      .where('form_id', '=', formId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();

  return {
    engine,

    async accept(s, files) {
      if (s.idempotencyKey) {
        const known = await byKey(s.formId, s.idempotencyKey);
        if (known) return { row: toSubmission(known), created: false };
      }
      const submission = {
        id: s.id,
        form_id: s.formId,
        idempotency_key: s.idempotencyKey,
        fingerprint: s.fingerprint,
        payload: s.payload,
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
      };
      try {
        let row: Selectable<SubmissionsTable>;
        if (vault) {
          // Files first: the row is what makes a submission exist, so it comes last, in one statement.
          if (files.length > 0) await vault.put(s.id, files);
          row = await db
            .insertInto('submissions')
            .values(submission)
            .returningAll()
            .executeTakeFirstOrThrow();
        } else {
          row = await db.transaction().execute(async (tx) => {
            const inserted = await tx
              .insertInto('submissions')
              .values(submission)
              .returningAll()
              .executeTakeFirstOrThrow();
            if (files.length > 0)
              await tx
                .insertInto('attachments')
                .values(
                  files.map((f, position) => ({
                    submission_id: s.id,
                    position,
                    name: f.name,
                    type: f.type,
                    data: f.data instanceof Uint8Array ? f.data : new Uint8Array(),
                  })),
                )
                .execute();
            return inserted;
          });
        }
        return { row: toSubmission(row), created: true };
      } catch (error) {
        if (vault && files.length > 0) await vault.delete(s.id).catch(() => {});
        // Two requests with one key at once: the unique constraint lets one in; the other reads it.
        const known = s.idempotencyKey ? await byKey(s.formId, s.idempotencyKey) : undefined;
        if (known) return { row: toSubmission(known), created: false };
        throw error;
      }
    },

    async get(id) {
      const row = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSubmission(row);
    },

    async claim(owner, now, leaseMs, id) {
      let due = db
        .selectFrom('submissions')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', ms(now))]),
            // A lease that ran out belongs to a worker that died or stalled: take it over.
            eb.and([eb('status', '=', 'delivering'), eb('lease_until', '<', ms(now))]),
          ]),
        )
        .orderBy('created_at')
        .orderBy('id')
        .limit(1);
      if (id !== undefined) due = due.where('id', '=', id);
      if (engine === 'postgres') due = due.forUpdate().skipLocked();
      const row = await db
        .updateTable('submissions')
        .set({ status: 'delivering', lease_owner: owner, lease_until: ms(now + leaseMs) })
        .where('id', '=', (eb) => eb.selectFrom(due.as('due')).select('due.id'))
        .returningAll()
        .executeTakeFirst();
      return row && toSubmission(row);
    },

    async files(id) {
      if (vault) return vault.get(id);
      const rows = await db
        .selectFrom('attachments')
        .selectAll()
        .where('submission_id', '=', id)
        .orderBy('position')
        .execute();
      return rows.map((r) => ({ name: r.name, type: r.type, data: new Uint8Array(r.data) }));
    },

    async renew(id, owner, until) {
      return changed(
        await held(id, owner)
          .where('status', '=', 'delivering')
          .set({ lease_until: ms(until) })
          .executeTakeFirst(),
      );
    },

    async markSending(id, owner) {
      return changed(
        await held(id, owner)
          .set((eb) => ({ uncertain: 1, attempts: eb('attempts', '+', 1) }))
          .executeTakeFirst(),
      );
    },

    async markDelivered(id, owner, caseId, caseNumber, now) {
      const done = changed(
        await held(id, owner)
          .set({
            status: 'delivered',
            uncertain: 0,
            case_id: caseId,
            case_number: caseNumber,
            delivered_at: ms(now),
            lease_owner: null,
            lease_until: null,
            last_error: null,
          })
          .executeTakeFirst(),
      );
      // The files are in Deskie now; keep only what lookups and idempotency need.
      // A file the vault fails to delete costs storage only: the delivery stands.
      if (done && vault) await vault.delete(id).catch(() => {});
      else if (done) await db.deleteFrom('attachments').where('submission_id', '=', id).execute();
      return done;
    },

    async reschedule(id, owner, nextAt, error, uncertain) {
      return changed(
        await held(id, owner)
          .set({
            status: 'pending',
            next_attempt_at: ms(nextAt),
            last_error: error,
            uncertain: uncertain ? 1 : 0,
            lease_owner: null,
            lease_until: null,
          })
          .executeTakeFirst(),
      );
    },

    async markDead(id, owner, error) {
      return changed(
        await held(id, owner)
          .set({ status: 'dead', last_error: error, uncertain: 0, lease_owner: null, lease_until: null })
          .executeTakeFirst(),
      );
    },

    async release(owner) {
      const result = await db
        .updateTable('submissions')
        .set({ status: 'pending', lease_owner: null, lease_until: null })
        .where('lease_owner', '=', owner)
        .where('status', '=', 'delivering')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async recover() {
      if (engine !== 'sqlite') return 0;
      const result = await db
        .updateTable('submissions')
        .set({ status: 'pending', lease_owner: null, lease_until: null })
        .where('status', '=', 'delivering')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async retry(id, now) {
      return changed(
        await db
          .updateTable('submissions')
          .set({ status: 'pending', next_attempt_at: ms(now), attempts: 0 })
          .where('id', '=', id)
          .where('status', '=', 'dead')
          .executeTakeFirst(),
      );
    },

    async list({ status, limit = 100 }) {
      let query = db.selectFrom('submissions').selectAll().orderBy('created_at').limit(limit);
      if (status) query = query.where('status', '=', status);
      return (await query.execute()).map(toSubmission);
    },

    async stats() {
      const rows = await db
        .selectFrom('submissions')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
        .where('status', '!=', 'delivered')
        .groupBy('status')
        .execute();
      let pending = 0;
      let dead = 0;
      let oldest: number | null = null;
      for (const r of rows) {
        if (r.status === 'dead') dead = Number(r.n);
        else {
          pending += Number(r.n);
          oldest = oldest === null ? Number(r.oldest) : Math.min(oldest, Number(r.oldest));
        }
      }
      return { pending, dead, oldestPendingAt: oldest };
    },

    async nextDueAt() {
      const row = await db
        .selectFrom('submissions')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return row?.at == null ? null : Number(row.at);
    },

    close: onClose,
  };
}
