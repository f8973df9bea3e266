/** The embedded outbox: one SQLite file (better-sqlite3), WAL-journaled and synced on commit. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createOutboxStore, type OutboxStore } from '../outbox/store';
import { migrate, type OutboxDatabase } from './schema';

/** Opens (creating if needed) the outbox at `path`; `:memory:` for a throwaway one. */
export async function openSqliteOutbox(path: string): Promise<OutboxStore> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new Database(path);
  file.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the visitor is told "received" — a power cut loses nothing.
  file.pragma('synchronous = FULL');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<OutboxDatabase>({ dialect: new SqliteDialect({ database: file }) });
  await migrate(db, 'sqlite');
  return createOutboxStore(db, 'sqlite', () => db.destroy());
}
