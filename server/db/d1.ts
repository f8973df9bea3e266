/** The database on Workers: D1 (Cloudflare's SQLite, shared by every isolate). */
import type { D1Database } from '@cloudflare/workers-types/index.ts';
import { type DatabaseConnection, type Driver, Kysely, sql } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { migrate } from './migrations';
import type { Database, OutboxDatabase } from './schema';

/**
 * Kysely on a D1 binding (kysely-d1). Its results also carry the field Kysely renamed long ago,
 * which makes Kysely warn on every isolate's first query; the copy without it says the same.
 */
export function d1Kysely(database: D1Database): Kysely<OutboxDatabase> {
  const dialect = new D1Dialect({ database: database as never });
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = (): Driver => {
    const driver = createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async (): Promise<DatabaseConnection> => {
      const connection = await acquire();
      return {
        executeQuery: async (query) => {
          const { numUpdatedOrDeletedRows: _, ...result } = (await connection.executeQuery(query)) as Awaited<
            ReturnType<DatabaseConnection['executeQuery']>
          > & { numUpdatedOrDeletedRows?: bigint };
          return result as never;
        },
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
    };
    return driver;
  };
  // The migrator asks which tables exist. D1 refuses the table-valued pragma Kysely's SQLite
  // introspector reads columns with, and the migrator needs only the names.
  dialect.createIntrospector = (db) => {
    const tables = async () => {
      const { rows } = await sql<{ name: string }>`
        select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
      return rows.map((r) => ({ name: r.name, isView: false, columns: [] }));
    };
    return {
      getSchemas: async () => [],
      getTables: tables,
      getMetadata: async () => ({ tables: await tables() }),
    };
  };
  return new Kysely<OutboxDatabase>({ dialect });
}

/**
 * The database on a D1 binding, brought up to date on an isolate's first use: one read when it
 * already is, so a cold start costs a single query.
 */
export async function openD1(database: D1Database): Promise<Database> {
  const db = d1Kysely(database);
  await migrate(db, 'd1');
  // The binding lives as long as the isolate: there is nothing to close.
  return { db, engine: 'd1', close: async () => {} };
}
