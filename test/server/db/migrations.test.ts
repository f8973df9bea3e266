/**
 * Upgrading an outbox in place. test/fixtures/outbox-v0.sqlite was written by the code before
 * versioned migrations (one submission queued with a file, one delivered, one dead). On every
 * engine the new code opens such a database, migrates it, and every row still works: the queued
 * one is filed with its file, the delivered one is looked up, the dead one can be retried.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTokens } from '../../../server/core/tokens';
import { d1Kysely, openD1 } from '../../../server/db/d1';
import { LATEST, migrate, migrationsFor } from '../../../server/db/migrations';
import { openPostgres } from '../../../server/db/postgres';
import type { Database, Engine, OutboxDatabase } from '../../../server/db/schema';
import { openSqlite } from '../../../server/db/sqlite';
import { SECRET, startBackend } from '../../helpers/backend';
import { freshD1 } from '../../helpers/d1';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';

const MIGRATIONS = [
  '0001_initial',
  '0002_retention',
  '0003_dead_at',
  '0004_notify_at',
  '0005_notify_attempts',
  '0006_notified_at',
];
const FIXTURE = new URL('../../fixtures/outbox-v0.sqlite', import.meta.url).pathname;

/** The fixture's rows, as the old code wrote them. */
function fixtureRows() {
  const file = new SQLite(FIXTURE, { readonly: true });
  const submissions = file.prepare('select * from submissions').all() as Record<string, unknown>[];
  const attachments = (file.prepare('select * from attachments').all() as Record<string, unknown>[]).map(
    (a) => ({ ...a, data: new Uint8Array(a.data as Buffer) }),
  );
  file.close();
  return { submissions, attachments };
}

/** The old schema (exactly migration 0001, run the way the old code ran it: unrecorded) and the fixture's rows. */
async function writeAsBefore(db: Kysely<OutboxDatabase>, engine: Engine) {
  await migrationsFor(engine)['0001_initial']?.up(db);
  const { submissions, attachments } = fixtureRows();
  await db
    .insertInto('submissions')
    .values(submissions as never)
    .execute();
  await db
    .insertInto('attachments')
    .values(attachments as never)
    .execute();
}

const engines: [string, () => Promise<Database>][] = [
  [
    'SQLite',
    async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'deskie-upgrade-')), 'outbox.sqlite');
      copyFileSync(FIXTURE, path);
      return openSqlite(path);
    },
  ],
  [
    'D1',
    async () => {
      const { database } = await freshD1();
      await writeAsBefore(d1Kysely(database), 'd1');
      return openD1(database);
    },
  ],
];
if (postgresUrl)
  engines.push([
    'PostgreSQL',
    async () => {
      const url = await freshDatabase();
      const old = new Kysely<OutboxDatabase>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
      });
      await writeAsBefore(old, 'postgres');
      await old.destroy();
      return openPostgres(url);
    },
  ]);
else describe.skip('PostgreSQL upgrade (no server: set DESKIE_TEST_POSTGRES_URL, as .ci/run does)', () => {});

const recorded = async (db: Kysely<OutboxDatabase>) =>
  (await sql<{ name: string }>`select name from outbox_migration order by name`.execute(db)).rows.map(
    (r) => r.name,
  );

describe.each(engines)('%s outbox written before migrations', (_, open) => {
  it('is migrated, and its queued, delivered and dead submissions all still work', async () => {
    const database = await open();
    expect(await recorded(database.db)).toEqual(MIGRATIONS);
    const t = await startBackend({ database });
    const tokens = createTokens(SECRET);
    const token = (receipt: string) => tokens.lookup.issue({ formId: 'support', receipt });

    // Deskie still holds the case filed before the upgrade.
    const before = t.sim.state.createCase({
      user_email: 'delivered@example.com',
      subject: 'Subject delivered',
      content: 'Message delivered',
      custom_fields: {},
      labels: [101],
      files: [],
    });
    Object.assign(before, { case_id: 4242, case_number: '123-456789' });
    expect(await (await t.lookup({ token: token('sub_fixturedelivered') })).json()).toMatchObject({
      caseNumber: '123-456789',
      subject: 'Subject delivered',
    });
    expect(await (await t.lookup({ token: token('sub_fixturequeued') })).json()).toMatchObject({
      receipt: 'sub_fixturequeued',
      status: 'queued',
      subject: 'Subject queued',
    });

    // The queued one goes out, with the file it was accepted with.
    expect(await t.drainer.drainDue()).toBe(1);
    const filed = t.sim.state.cases.find((k) => k.subject === 'Subject queued');
    expect(filed?.attachments.map((f) => f.file_name)).toEqual(['note.txt']);
    expect(t.sim.state.messagesOf(filed!)[0]?.content).toContain('Reference: sub_fixturequeued');

    // The dead one died before deaths were dated and notices owed: the owner is not told of it now.
    expect(await t.outbox.get('sub_fixturedead')).toMatchObject({
      status: 'dead',
      dead_at: null,
      notify_at: null,
      notify_attempts: 0,
    });
    expect(await t.outbox.nextNoticeAt()).toBeNull();
    // The dead one can be put back and is filed too.
    expect(await t.outbox.retry('sub_fixturedead', t.clock.now())).toBe(true);
    expect(await t.drainer.drainDue()).toBe(1);
    expect(t.sim.state.cases.map((k) => k.subject).sort()).toEqual([
      'Subject dead',
      'Subject delivered',
      'Subject queued',
    ]);
    await database.close();
  });
});

describe('starting several instances at once', () => {
  it.runIf(postgresUrl)('on one PostgreSQL: each migration runs once, under a lock', async () => {
    const url = await freshDatabase();
    const ran: string[] = [];
    const counted = Object.fromEntries(
      Object.entries(migrationsFor('postgres')).map(([name, m]) => [
        name,
        {
          up: (db: Kysely<unknown>) => {
            ran.push(name);
            return m.up(db);
          },
        },
      ]),
    );
    const instances = Array.from(
      { length: 4 },
      () =>
        new Kysely<OutboxDatabase>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
        }),
    );
    await Promise.all(instances.map((db) => migrate(db, 'postgres', counted)));
    expect(ran).toEqual(MIGRATIONS);
    expect(await recorded(instances[0]!)).toEqual(MIGRATIONS);
    await Promise.all(instances.map((db) => db.destroy()));
  });

  it('on one D1 (no locks there): every isolate starts, and each migration is recorded once', async () => {
    const { database } = await freshD1();
    const isolates = await Promise.all(Array.from({ length: 4 }, () => openD1(database)));
    expect(await recorded(isolates[0]!.db)).toEqual(MIGRATIONS);
  });

  it('an up-to-date database costs one read at start', async () => {
    const db = (await openSqlite(':memory:')).db;
    const queries: string[] = [];
    const watched = db.withPlugin({
      transformQuery: (args) => {
        queries.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await migrate(watched, 'sqlite');
    expect(queries).toHaveLength(1);
    expect(LATEST).toBe('0006_notified_at');
  });
});
