/** The embedded database: one SQLite file (better-sqlite3), WAL-journaled and synced on commit. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from './migrations';
import type { Database, OutboxDatabase } from './schema';

/** Opens (creating if needed) the database at `path`; `:memory:` for a throwaway one. */
export async function openSqlite(path: string): Promise<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new SQLite(path);
  file.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the visitor is told "received" — a power cut loses nothing.
  file.pragma('synchronous = FULL');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<OutboxDatabase>({ dialect: new SqliteDialect({ database: file }) });
  await migrate(db, 'sqlite');
  return { db, engine: 'sqlite', close: () => db.destroy() };
}
