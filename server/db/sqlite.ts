/**
 * The embedded database: one SQLite file (better-sqlite3), WAL-journaled, every write on disk before
 * its promise settles.
 *
 * better-sqlite3 runs on the event loop, so `synchronous=FULL` made every commit wait for the disk
 * there (a few ms each), stalling every other request behind it. Here SQLite writes the WAL without
 * syncing it (`synchronous=NORMAL`: a write() into the page cache) and the driver syncs the WAL file
 * on libuv's thread pool before the query's promise settles. Commits made while a sync runs share the
 * next one: group commit, however many requests wrote. A commit is as durable as under FULL (the
 * same fdatasync of the same file) before anyone is told of it; SQLite itself syncs the WAL before
 * each checkpoint copies it into the database.
 */
import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDialectConfig, SqliteDriver, type SqliteStatement } from 'kysely';
import { migrate } from './migrations';
import type { Database, OutboxDatabase } from './schema';

/** Statements kept prepared, by their SQL (the store's queries are a few dozen shapes). */
const STATEMENT_CACHE = 256;

/** What the outbox's writes cost: commits that wrote, and the syncs that made them durable. */
export interface WriteStats {
  commits: number;
  syncs: number;
}

/**
 * Syncs of the WAL file, coalesced: a caller waits for a sync that starts after its commit; callers
 * that commit while one runs share the next.
 */
function walSync(path: string, stats: WriteStats) {
  let file: Promise<FileHandle> | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const once = async () => {
    if (!file) {
      file = open(`${path}-wal`, 'r+');
      // The WAL's directory entry too, once: a file created since the last sync of its folder.
      const folder = await open(dirname(path), 'r');
      await folder.sync().finally(() => folder.close());
    }
    await (await file).datasync();
    stats.syncs += 1;
  };
  const start = (): Promise<void> => {
    running = once().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    sync(): Promise<void> {
      if (!running) return start();
      queued ??= running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return running ?? start();
        });
      return queued;
    },
    close: async () => (await file?.catch(() => undefined))?.close(),
  };
}

/**
 * Kysely's SQLite driver, durable: a connection that wrote is synced (walSync) after it is handed
 * back — outside the connection's lock, so other queries run while the disk works.
 */
class DurableDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly writes: { take(): boolean; sync(): Promise<void> },
  ) {
    super(config);
  }

  override async releaseConnection(): Promise<void> {
    const wrote = this.writes.take();
    await super.releaseConnection();
    if (wrote) await this.writes.sync();
  }
}

/** Opens (creating if needed) the database at `path`; `:memory:` for a throwaway one. */
export async function openSqlite(path: string): Promise<Database & { stats: WriteStats }> {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const file = new SQLite(path);
  file.pragma('journal_mode = WAL');
  // NORMAL: the commit is not synced by SQLite; DurableDriver syncs it before anyone hears of it.
  file.pragma(`synchronous = ${inMemory ? 'OFF' : 'NORMAL'}`);
  file.pragma('busy_timeout = 5000');
  const stats: WriteStats = { commits: 0, syncs: 0 };
  const wal = inMemory ? undefined : walSync(path, stats);
  let wrote = false;
  const statements = new Map<string, SqliteStatement>();
  /** One statement, prepared once; running it notes whether it changed anything (what needs a sync). */
  const prepared = (sql: string): SqliteStatement => {
    const statement = file.prepare(sql);
    if (statement.readonly) return statement;
    return {
      reader: statement.reader,
      all(parameters) {
        const rows = statement.all(parameters);
        if (rows.length > 0) wrote = true;
        return rows;
      },
      run(parameters) {
        const result = statement.run(parameters);
        if (result.changes > 0) wrote = true;
        return result;
      },
      iterate: (parameters) => statement.iterate(parameters),
    };
  };
  const database = {
    close: () => file.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = prepared(sql);
        if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value ?? '');
        statements.set(sql, statement);
      }
      return statement;
    },
  };
  const writes = {
    take() {
      const did = wrote;
      wrote = false;
      if (did) stats.commits += 1;
      return did;
    },
    sync: () => wal?.sync() ?? Promise.resolve(),
  };
  const dialect = new SqliteDialect({ database });
  dialect.createDriver = () => new DurableDriver({ database }, writes);
  const db = new Kysely<OutboxDatabase>({ dialect });
  await migrate(db, 'sqlite');
  return {
    db,
    engine: 'sqlite',
    stats,
    async close() {
      await db.destroy();
      await wal?.close();
    },
  };
}
