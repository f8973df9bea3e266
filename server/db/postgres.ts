/** The shared database: PostgreSQL, for several backend instances draining one queue. */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type Database, migrate, type OutboxDatabase } from './schema';

/** Connects to `url` (postgres://…) and creates the tables if they are missing. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<OutboxDatabase>({ dialect: new PostgresDialect({ pool }) });
  // Instances starting together must not race to create the same tables.
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(74726001)`.execute(conn);
    try {
      await migrate(conn, 'postgres');
    } finally {
      await sql`select pg_advisory_unlock(74726001)`.execute(conn);
    }
  });
  return { db, engine: 'postgres', close: () => db.destroy() };
}
