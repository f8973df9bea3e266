/** The outbox on Workers: D1 (Cloudflare's SQLite, shared by every isolate) with its files in R2. */
import type { D1Database, R2Bucket } from '@cloudflare/workers-types/index.ts';
import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { createR2Vault } from './r2';
import { migrate, type OutboxDatabase } from './schema';
import { createOutboxStore, type OutboxStore } from './store';

/**
 * The outbox on `database` and `bucket`. The tables are created on an isolate's first use when
 * missing: one read when they exist, so a cold start costs a single query.
 */
export async function openD1Outbox(
  database: D1Database,
  bucket: R2Bucket,
): Promise<{ store: OutboxStore; db: Kysely<OutboxDatabase> }> {
  const db = new Kysely<OutboxDatabase>({ dialect: new D1Dialect({ database: database as never }) });
  const present = await database
    .prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'rate_hits'")
    .first<{ n: number }>();
  // rate_hits is the table `migrate` creates last.
  if (!present?.n) await migrate(db, 'd1');
  return { store: createOutboxStore(db, 'd1', async () => {}, createR2Vault(bucket)), db };
}
