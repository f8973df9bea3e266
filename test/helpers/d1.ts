/**
 * D1 and R2 as workerd runs them (through Miniflare, the simulator wrangler dev uses), reachable
 * from Node: the outbox's contract and the shared governor are checked on them like on SQLite and
 * PostgreSQL. Each call gets a database and bucket of its own; they go away after the test file.
 */
import type { D1Database, R2Bucket } from '@cloudflare/workers-types/index.ts';
import { Miniflare } from 'miniflare';
import { afterAll } from 'vitest';
import { openD1 } from '../../server/db/d1';
import { createR2Vault } from '../../server/outbox/r2';
import { createOutboxStore } from '../../server/outbox/store';

const running: Miniflare[] = [];
afterAll(() => Promise.all(running.splice(0).map((mf) => mf.dispose())));

/** A fresh D1 database and R2 bucket, in memory. */
export async function freshD1() {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
    d1Databases: ['DB'],
    r2Buckets: ['FILES'],
  });
  running.push(mf);
  return {
    database: (await mf.getD1Database('DB')) as unknown as D1Database,
    bucket: (await mf.getR2Bucket('FILES')) as unknown as R2Bucket,
  };
}

/** An outbox on a fresh D1 database and R2 bucket. */
export async function freshD1Outbox() {
  const { database, bucket } = await freshD1();
  return createOutboxStore(await openD1(database), createR2Vault(bucket));
}
