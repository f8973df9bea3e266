/** The shared database: PostgreSQL, for several backend instances draining one queue. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations';
import type { Database, OutboxDatabase } from './schema';

/** Connects to `url` (postgres://…) and brings its schema up to date. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<OutboxDatabase>({ dialect: new PostgresDialect({ pool }) });
  // Instances starting together: the migrator's lock lets one migrate while the others wait.
  await migrate(db, 'postgres');
  return { db, engine: 'postgres', close: () => db.destroy() };
}
