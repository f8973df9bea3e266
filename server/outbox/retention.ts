/**
 * Personal data kept only as long as it is needed. A submission's payload (name, email, message,
 * context) and its files serve one purpose: getting the case into Deskie. Once the case exists —
 * or Deskie has refused it for good and an operator has had time to look — retention drops them,
 * keeping what lookups and idempotency need: the row, its key and fingerprint, the case id and
 * number. An erasure does the same at once for one person, and deletes what was never delivered.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { OutboxDatabase } from '../db/schema';
import { ms, toSubmission } from './rows';
import { type Erased, type FileVault, type OutboxStore, payloadEmail } from './types';

const DAY_MS = 24 * 3600_000;
/** Rows purged per statement, so a first purge of a large backlog holds no lock for long. */
const BATCH = 500;

type Db = Kysely<OutboxDatabase>;

/** Drops the payload of `ids` (a purged row keeps its key, fingerprint and case). */
const dropPayloads = (db: Db, ids: string[], now: number) =>
  db
    .updateTable('submissions')
    .set({ payload: '', purged_at: ms(now) })
    .where('id', 'in', ids)
    .where('purged_at', 'is', null)
    .executeTakeFirst();

/** The store's purge and erase, over `db` and the vault its files are in. */
export function forgetting(db: Db, files: FileVault): Pick<OutboxStore, 'purge' | 'erase'> {
  return {
    async purge(now, { deliveredBefore, deadBefore }) {
      let purged = 0;
      for (;;) {
        const due = await db
          .selectFrom('submissions')
          .select(['id', 'status'])
          .where('purged_at', 'is', null)
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'delivered'), eb('delivered_at', '<', ms(deliveredBefore))]),
              eb.and([eb('status', '=', 'dead'), eb('created_at', '<', ms(deadBefore))]),
            ]),
          )
          .limit(BATCH)
          .execute();
        if (due.length === 0) return purged;
        purged += Number(
          (
            await dropPayloads(
              db,
              due.map((r) => r.id),
              now,
            )
          ).numUpdatedRows,
        );
        // A delivered submission's files went with its case; a dead letter's are still here.
        for (const row of due) if (row.status === 'dead') await files.delete(row.id);
      }
    },

    async erase(email, now) {
      const wanted = email.trim().toLowerCase();
      const rows = (
        await db.selectFrom('submissions').selectAll().where('purged_at', 'is', null).execute()
      ).map(toSubmission);
      const theirs = rows.filter((r) => r.payload && payloadEmail(r.payload).toLowerCase() === wanted);
      const erased: Erased = { deleted: [], purged: [], busy: [] };
      for (const row of theirs) {
        if (row.status === 'delivering') erased.busy.push(row);
        else if (row.status === 'delivered') {
          await dropPayloads(db, [row.id], now);
          erased.purged.push(row);
        } else {
          // Never delivered: nothing of it needs to stay. A row taken for delivery meanwhile stays.
          const gone = await db
            .deleteFrom('submissions')
            .where('id', '=', row.id)
            .where('status', 'in', ['pending', 'dead'])
            .executeTakeFirst();
          if (gone.numDeletedRows > 0n) {
            await files.delete(row.id);
            erased.deleted.push(row);
          } else erased.busy.push(row);
        }
      }
      return erased;
    },
  };
}

export interface RetentionOptions {
  outbox: OutboxStore;
  clock: Clock;
  log: Logger;
  /** Days a delivered submission's payload is kept (for a repeat's answer and support questions). */
  deliveredDays: number;
  /** Days a dead letter is kept for an operator to retry, counted from its acceptance. */
  deadDays: number;
}

/** One retention run: purges what is past its time, logs how much. Safe to run from many instances. */
export function createRetention({ outbox, clock, log, deliveredDays, deadDays }: RetentionOptions) {
  return async (): Promise<number> => {
    const now = clock.now();
    const purged = await outbox.purge(now, {
      deliveredBefore: now - deliveredDays * DAY_MS,
      deadBefore: now - deadDays * DAY_MS,
    });
    if (purged > 0) log('info', 'outbox retention', { purged });
    return purged;
  };
}
