/** The outbox on Workers: D1 (Cloudflare's SQLite, shared by every isolate) with its files in R2. */
import type { D1Database, R2Bucket } from '@cloudflare/workers-types/index.ts';
import { type DatabaseConnection, type Driver, Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { createR2Vault } from '../outbox/r2';
import { createOutboxStore, type OutboxStore } from '../outbox/store';
import { migrate, type OutboxDatabase } from './schema';

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
  return new Kysely<OutboxDatabase>({ dialect });
}

/**
 * The outbox on `database` and `bucket`. The tables are created on an isolate's first use when
 * missing: one read when they exist, so a cold start costs a single query.
 */
export async function openD1Outbox(
  database: D1Database,
  bucket: R2Bucket,
): Promise<{ store: OutboxStore; db: Kysely<OutboxDatabase> }> {
  const db = d1Kysely(database);
  const present = await database
    .prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'rate_hits'")
    .first<{ n: number }>();
  // rate_hits is the table `migrate` creates last.
  if (!present?.n) await migrate(db, 'd1');
  return { store: createOutboxStore(db, 'd1', async () => {}, createR2Vault(bucket)), db };
}
