/**
 * The store's side of dead-letter notices: which deaths are still owed to the owner's webhook.
 * The debt lives in the row (`notify_at`), not in memory, so a crash between dead-lettering and
 * telling — or in the middle of telling — forgets nothing: the next run finds it due.
 */
import type { Kysely } from 'kysely';
import type { OutboxDatabase } from '../db/schema';
import { ms, toSubmission } from './rows';
import type { OutboxStore } from './types';

type Db = Kysely<OutboxDatabase>;

const changed = (result: { numUpdatedRows: bigint }) => result.numUpdatedRows > 0n;

/** The notice queries of the outbox in `db`. */
export function notices(
  db: Db,
): Pick<OutboxStore, 'dueNotices' | 'claimNotice' | 'settleNotice' | 'nextNoticeAt'> {
  return {
    async dueNotices(now, limit) {
      const rows = await db
        .selectFrom('submissions')
        .selectAll()
        .where('status', '=', 'dead')
        .where('notify_at', '<=', ms(now))
        .orderBy('notify_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toSubmission);
    },
    // Compare-and-set on the due time read: of instances reading the same row, one takes it.
    claimNotice: async (id, dueAt, retryAt) =>
      changed(
        await db
          .updateTable('submissions')
          .set((eb) => ({ notify_at: ms(retryAt), notify_attempts: eb('notify_attempts', '+', 1) }))
          .where('id', '=', id)
          .where('status', '=', 'dead')
          .where('notify_at', '=', ms(dueAt))
          .executeTakeFirst(),
      ),
    settleNotice: async (id, deadAt, sentAt) =>
      changed(
        await db
          .updateTable('submissions')
          .set({ notify_at: null, notified_at: sentAt === null ? null : ms(sentAt) })
          .where('id', '=', id)
          .where('dead_at', '=', ms(deadAt))
          .executeTakeFirst(),
      ),
    async nextNoticeAt() {
      const row = await db
        .selectFrom('submissions')
        .select((eb) => eb.fn.min('notify_at').as('at'))
        .where('status', '=', 'dead')
        .executeTakeFirst();
      return row?.at == null ? null : Number(row.at);
    },
  };
}
