import pg from 'pg';
import { afterAll } from 'vitest';

/** The PostgreSQL server .ci/run starts; without it (a developer machine) the PostgreSQL tests are skipped. */
export const postgresUrl = process.env.DESKIE_TEST_POSTGRES_URL;

if (!postgresUrl && process.env.CI)
  throw new Error(
    'DESKIE_TEST_POSTGRES_URL is not set: in CI the PostgreSQL tests must run (.ci/run starts the server)',
  );

/** A database of its own for the calling test file, dropped after it. */
export async function freshDatabase(): Promise<string> {
  if (!postgresUrl) throw new Error('no PostgreSQL server (set DESKIE_TEST_POSTGRES_URL)');
  const name = `deskie_test_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  afterAll(async () => {
    const cleanup = new pg.Client({ connectionString: postgresUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  });
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.href;
}
