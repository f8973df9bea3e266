/**
 * The durable outbox: every accepted submission is a row here before the visitor hears back, and
 * leaves only as a delivered case (kept for idempotency and lookups) or a dead letter (kept until
 * an operator retries it). The same queries serve SQLite, PostgreSQL and D1; only the claim differs
 * (PostgreSQL skips rows other instances hold locked). Files wait in the attachments table, or in a
 * FileVault (R2) where rows must stay small and no transaction can write two tables at once (D1).
 */
import type { Kysely } from 'kysely';
import type { Database, Engine, OutboxDatabase } from '../db/schema';
import type { Upload } from '../deskie/client';
import { createAcceptor, storedByKey } from './accept';
import { notices } from './notices';
import { forgetting } from './retention';
import { ms, toSubmission } from './rows';
import { tableVault } from './table-vault';
import type { FileVault, OutboxStore } from './types';

type Db = Kysely<OutboxDatabase>;

const changed = (result: { numUpdatedRows: bigint }) => result.numUpdatedRows > 0n;
/** An update of `id` that takes effect only while `owner` holds its lease. */
const held = (db: Db, id: string, owner: string) =>
  db.updateTable('submissions').where('id', '=', id).where('lease_owner', '=', owner);

const unleased = { lease_owner: null, lease_until: null };

/** Leases: who delivers what, until when. A lease that ran out is taken over by the next claim. */
function leases(db: Db, engine: Engine): Pick<OutboxStore, 'claim' | 'renew' | 'release' | 'recover'> {
  return {
    async claim(owner, now, leaseMs, id, sending = false) {
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
      // Marked sending as it is leased: only a row nobody may have sent yet, which needs no search.
      if (sending) due = due.where('uncertain', '=', 0);
      if (engine === 'postgres') due = due.forUpdate().skipLocked();
      const row = await db
        .updateTable('submissions')
        .set((eb) => ({
          status: 'delivering',
          lease_owner: owner,
          lease_until: ms(now + leaseMs),
          ...(sending ? { uncertain: 1, attempts: eb('attempts', '+', 1) } : {}),
        }))
        .where('id', '=', (eb) => eb.selectFrom(due.as('due')).select('due.id'))
        .returningAll()
        .executeTakeFirst();
      return row && toSubmission(row);
    },
    renew: async (id, owner, until) =>
      changed(
        await held(db, id, owner)
          .where('status', '=', 'delivering')
          .set({ lease_until: ms(until) })
          .executeTakeFirst(),
      ),
    async release(owner) {
      const result = await db
        .updateTable('submissions')
        .set({ ...unleased, status: 'pending' })
        .where('lease_owner', '=', owner)
        .where('status', '=', 'delivering')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async recover(reconcileAt) {
      if (engine !== 'sqlite') return 0;
      const result = await db
        .updateTable('submissions')
        .set((eb) => ({
          ...unleased,
          status: 'pending',
          next_attempt_at: eb
            .case()
            .when('uncertain', '=', 1)
            .then(ms(reconcileAt))
            .else(eb.ref('next_attempt_at'))
            .end(),
        }))
        .where('status', '=', 'delivering')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

/** What a delivery writes; only the lease holder may, so a worker that lost its lease changes nothing. */
function outcomes(
  db: Db,
  files: FileVault,
): Pick<OutboxStore, 'markSending' | 'markDelivered' | 'reschedule' | 'markDead'> {
  return {
    markSending: async (id, owner) =>
      changed(
        await held(db, id, owner)
          .set((eb) => ({ uncertain: 1, attempts: eb('attempts', '+', 1) }))
          .executeTakeFirst(),
      ),
    async markDelivered(id, owner, caseId, caseNumber, now) {
      const done = changed(
        await held(db, id, owner)
          .set({
            ...unleased,
            status: 'delivered',
            uncertain: 0,
            case_id: caseId,
            case_number: caseNumber,
            delivered_at: ms(now),
            last_error: null,
          })
          .executeTakeFirst(),
      );
      // The files are in Deskie now; keep only what lookups and idempotency need.
      // A file the vault fails to delete costs storage only: the delivery stands.
      if (done) await files.delete(id).catch(() => {});
      return done;
    },
    reschedule: async (id, owner, nextAt, error, uncertain) =>
      changed(
        await held(db, id, owner)
          .set({
            ...unleased,
            status: 'pending',
            next_attempt_at: ms(nextAt),
            last_error: error,
            uncertain: uncertain ? 1 : 0,
          })
          .executeTakeFirst(),
      ),
    markDead: async (id, owner, error, death) =>
      changed(
        await held(db, id, owner)
          .set({
            ...unleased,
            status: 'dead',
            last_error: error,
            uncertain: 0,
            // A new death: whatever was told of an earlier one, this one is owed afresh.
            dead_at: ms(death.at),
            notify_at: death.notify ? ms(death.at) : null,
            notify_attempts: 0,
            notified_at: null,
          })
          .executeTakeFirst(),
      ),
  };
}

/** Reads, and the operator's one action: putting a dead letter back. */
function queries(db: Db): Pick<OutboxStore, 'get' | 'byKey' | 'retry' | 'list' | 'stats' | 'nextDueAt'> {
  return {
    byKey: (formId, key) => storedByKey(db, formId, key),
    async get(id) {
      const row = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSubmission(row);
    },
    retry: async (id, now) =>
      changed(
        await db
          .updateTable('submissions')
          // The operator has acted on this death: a notice of it not sent yet is moot.
          .set({ status: 'pending', next_attempt_at: ms(now), attempts: 0, notify_at: null })
          .where('id', '=', id)
          .where('status', '=', 'dead')
          // A dead letter whose payload retention dropped cannot be sent again.
          .where('purged_at', 'is', null)
          .executeTakeFirst(),
      ),
    async list({ status, limit = 100 }) {
      let query = db.selectFrom('submissions').selectAll().orderBy('created_at').limit(limit);
      if (status) query = query.where('status', '=', status);
      return (await query.execute()).map(toSubmission);
    },
    async stats() {
      const rows = await db
        .selectFrom('submissions')
        .select((eb) => [
          'status',
          eb.fn.countAll<number>().as('n'),
          eb.fn.count<number>('purged_at').as('purged'),
          eb.fn.min('created_at').as('oldest'),
        ])
        .where('status', '!=', 'delivered')
        .groupBy('status')
        .execute();
      let pending = 0;
      let dead = 0;
      let deadRetryable = 0;
      let oldest: number | null = null;
      for (const r of rows) {
        if (r.status === 'dead') {
          dead = Number(r.n);
          deadRetryable = dead - Number(r.purged);
        } else {
          pending += Number(r.n);
          oldest = oldest === null ? Number(r.oldest) : Math.min(oldest, Number(r.oldest));
        }
      }
      return { pending, dead, deadRetryable, oldestPendingAt: oldest };
    },
    async nextDueAt() {
      const row = await db
        .selectFrom('submissions')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return row?.at == null ? null : Number(row.at);
    },
  };
}

/** Ids of submissions known to have no files, at most: past it, the vault is asked as before. */
const KNOWN_EMPTY = 10_000;

/**
 * `vault`, not asked about the files of a submission this process stored without any — most have
 * none, and each delivery would otherwise read and then delete in the files table for nothing. The
 * id is known before its row exists (no delivery can start earlier) and forgotten when its files
 * would be deleted; after a restart, or for a submission another instance stored, the vault is asked.
 */
function skippingEmpty(vault: FileVault) {
  const empty = new Set<string>();
  return {
    /** Runs `accept` of a submission with `files`, knowing it has none when it has none. */
    async storing<T extends { created: boolean }>(id: string, files: Upload[], accept: () => Promise<T>) {
      const known = files.length === 0 && empty.size < KNOWN_EMPTY;
      if (known) empty.add(id);
      const answer = await accept().catch((error: unknown) => {
        empty.delete(id);
        throw error;
      });
      if (known && !answer.created) empty.delete(id); // a repeat: the first one's id stands
      return answer;
    },
    vault: {
      put: (id, files) => vault.put(id, files),
      get: (id) => (empty.has(id) ? Promise.resolve([]) : vault.get(id)),
      delete: (id) => (empty.delete(id) ? Promise.resolve() : vault.delete(id)),
    } satisfies FileVault,
  };
}

/**
 * The outbox in `database`; with a `vault`, the files go there instead of the attachments table.
 */
export function createOutboxStore({ db, engine, close }: Database, vault?: FileVault): OutboxStore {
  const { storing, vault: files } = skippingEmpty(vault ?? tableVault(db));
  const accept = createAcceptor(db, engine, vault);
  return {
    engine,
    accept: (submission, uploads) => storing(submission.id, uploads, () => accept(submission, uploads)),
    files: (id) => files.get(id),
    ...leases(db, engine),
    ...outcomes(db, files),
    ...queries(db),
    ...forgetting(db, files),
    ...notices(db),
    close,
  };
}
