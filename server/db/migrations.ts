/**
 * The outbox schema, version by version, on Kysely's Migrator (the same migrations on SQLite,
 * PostgreSQL and D1). A migration, once released, never changes: a new schema is a new migration.
 * 0001 is the schema as it was before versions existed, with `if not exists` throughout, so a
 * database created then takes it as already done and only records it.
 *
 * Several instances may start at once. On PostgreSQL, Kysely takes an advisory lock and runs each
 * migration in a transaction, so exactly one instance migrates. D1 has neither: each migration is
 * one statement that two isolates may run at once without harm (one of them fails and records
 * nothing), and an isolate that loses such a race looks again until the other has finished. So a
 * migration must stay safe to meet twice on D1: `if not exists`, one column, no data rewrites.
 */
import { type ColumnDefinitionBuilder, type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Engine, OutboxDatabase } from './schema';

/** A migration that adds one column to `submissions`: one statement, as D1 needs (see above). */
const addColumn = (
  name: string,
  type: 'bigint' | 'integer',
  build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder = (c) => c,
): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('submissions').addColumn(name, type, build).execute();
  },
});

/** The migrations for `engine`, by name; they run in name order. */
export function migrationsFor(engine: Engine): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        const bytes = engine === 'postgres' ? 'bytea' : 'blob';
        await db.schema
          .createTable('submissions')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('form_id', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text')
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('uncertain', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', 'bigint')
          .addColumn('case_id', 'bigint')
          .addColumn('case_number', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .addUniqueConstraint('submissions_idempotency', ['form_id', 'idempotency_key'])
          .execute();
        await db.schema
          .createIndex('submissions_due')
          .ifNotExists()
          .on('submissions')
          .columns(['status', 'next_attempt_at', 'created_at'])
          .execute();
        await db.schema
          .createTable('attachments')
          .ifNotExists()
          .addColumn('submission_id', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('data', sql.raw(bytes), (c) => c.notNull())
          .addPrimaryKeyConstraint('attachments_pk', ['submission_id', 'position'])
          .execute();
        await db.schema
          .createTable('rate_calls')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('cost', 'integer', (c) => c.notNull())
          .addColumn('at', 'bigint')
          .addColumn('expires', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('rate_state')
          .ifNotExists()
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('rpm', 'integer')
          .addColumn('paused_until', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('rate_hits')
          .ifNotExists()
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('hits', 'integer', (c) => c.notNull())
          .addColumn('reset_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0002_retention': {
      // Delivered payloads and dead letters are dropped after a while; this dates the drop.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('submissions').addColumn('purged_at', 'bigint').execute();
      },
    },
    // A dead letter is never silent: its death is dated, and a notice of it is owed to the
    // owner's webhook until one is accepted (kept in the row, so a crash forgets nothing).
    '0003_dead_at': addColumn('dead_at', 'bigint'),
    '0004_notify_at': addColumn('notify_at', 'bigint'),
    '0005_notify_attempts': addColumn('notify_attempts', 'integer', (c) => c.notNull().defaultTo(0)),
    '0006_notified_at': addColumn('notified_at', 'bigint'),
  };
}

const TABLE = 'outbox_migration';

/** The newest migration's name. */
export const LATEST = Object.keys(migrationsFor('sqlite')).sort().at(-1) ?? '';

/** Whether `db` has every migration already: one read, so an instance's start costs little. */
async function upToDate(db: Kysely<OutboxDatabase>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select max(name) as name from ${sql.table(TABLE)}`.execute(
      db,
    );
    return rows[0]?.name === LATEST;
  } catch {
    return false; // no migration table yet
  }
}

/** Attempts before giving up, when instances without a lock (D1) keep meeting each other. */
const ATTEMPTS = 5;

/** Brings `db` to the latest schema (`migrations`: a seam for tests); throws naming the migration that failed. */
export async function migrate(
  db: Kysely<OutboxDatabase>,
  engine: Engine,
  migrations = migrationsFor(engine),
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: TABLE,
    migrationLockTableName: `${TABLE}_lock`,
  });
  for (let attempt = 1; ; attempt++) {
    if (await upToDate(db)) return;
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    // Another instance got there first (D1 cannot lock): look again, once it had time to finish.
    if (attempt < ATTEMPTS && engine === 'd1') {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    if (await upToDate(db)) return;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'the migration tables';
    throw new Error(
      `outbox migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
