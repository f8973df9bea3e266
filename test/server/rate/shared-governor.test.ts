/**
 * The rate budget shared by instances through their database: governors on separate connections
 * (Lambda containers, Worker isolates) asking at the same moment never get more than the window
 * allows between them — PostgreSQL under its lock, D1 by its one conditional insert — and the room
 * comes back when the window moves on or a reservation is given back.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { d1Kysely } from '../../../server/db/d1';
import { migrate } from '../../../server/db/migrations';
import type { OutboxDatabase } from '../../../server/db/schema';
import type { GovernorEvent } from '../../../server/rate/governor';
import { createSharedGovernor } from '../../../server/rate/shared-governor';
import { manualClock } from '../../helpers/backend';
import { freshD1 } from '../../helpers/d1';
import { freshDatabase, postgresUrl } from '../../helpers/postgres';

type Engine = 'postgres' | 'd1';
/** `n` connections to one fresh database of `engine`, tables created. */
type Open = (n: number) => Promise<Kysely<OutboxDatabase>[]>;

const opened: Kysely<OutboxDatabase>[] = [];
afterAll(() => Promise.all(opened.map((db) => db.destroy())));

const engines: [Engine, Open][] = [
  [
    'd1',
    async (n) => {
      const { database } = await freshD1();
      const dbs = Array.from({ length: n }, () => d1Kysely(database));
      await migrate(dbs[0]!, 'd1');
      return dbs;
    },
  ],
];
if (postgresUrl)
  engines.push([
    'postgres',
    async (n) => {
      const url = await freshDatabase();
      const dbs = Array.from(
        { length: n },
        () =>
          new Kysely<OutboxDatabase>({
            dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
          }),
      );
      opened.push(...dbs);
      await migrate(dbs[0]!, 'postgres');
      return dbs;
    },
  ]);

describe.each(engines)('shared rate budget on %s', (engine, open) => {
  it('grants no more than the window holds to four instances asking at once', async () => {
    const clock = manualClock();
    // 10 calls a window; each asks for 2 (a case and its reply): 5 permits between all of them.
    const governors = (await open(4)).map((db) =>
      createSharedGovernor(db, { engine, rpm: 10, share: 1, clock }),
    );
    const asks = await Promise.all(Array.from({ length: 24 }, (_, i) => governors[i % 4]!.tryAcquire(2)));
    const granted = asks.filter((p) => p !== undefined);
    expect(granted).toHaveLength(5);

    // One given back unused: room for exactly one more, once the database knows.
    granted[0]!.cancel();
    await Promise.all(governors.map((g) => g.flush()));
    const next = await Promise.all(governors.map((g) => g.tryAcquire(2)));
    expect(next.filter((p) => p !== undefined)).toHaveLength(1);

    // The others answered; a minute later the window is empty again.
    for (const permit of [...granted.slice(1), ...next])
      permit?.settle({ throttled: false, headers: new Headers() });
    await Promise.all(governors.map((g) => g.flush()));
    expect(await governors[0]!.tryAcquire(2)).toBeUndefined();
    clock.advance(60_001);
    const later = await Promise.all(Array.from({ length: 12 }, (_, i) => governors[i % 4]!.tryAcquire(2)));
    expect(later.filter((p) => p !== undefined)).toHaveLength(5);
  });

  it('pauses every instance for as long as a 429 from Deskie says', async () => {
    const clock = manualClock();
    const [a, b] = (await open(2)).map((db) =>
      createSharedGovernor(db, { engine, rpm: 100, share: 1, clock }),
    );
    const permit = await a!.tryAcquire(2);
    permit?.settle({ throttled: true, headers: new Headers({ retry_after: '20' }) });
    await a!.flush();
    expect(await b!.tryAcquire(2)).toBeUndefined();
    clock.advance(19_000);
    expect(await b!.tryAcquire(2)).toBeUndefined();
    clock.advance(1_001);
    expect(await b!.tryAcquire(2)).toBeDefined();
  });

  it('survives a database that fails under a settled permit: it says so, and the process goes on', async () => {
    const events: GovernorEvent[] = [];
    const [db] = await open(1);
    let failing = false;
    // The database goes away between a permit and Deskie's answer: every query fails from then on.
    const flaky = db!.withPlugin({
      transformQuery: (args) => {
        if (failing) throw new Error('connection lost');
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const governor = createSharedGovernor(flaky, { engine, rpm: 10, onEvent: (e) => events.push(e) });
    const permit = await governor.acquire(2);
    failing = true;
    permit.settle({ headers: new Headers({ api_calls_left: '0' }) });
    await governor.flush();
    expect(events).toContainEqual({ type: 'write-failed', error: 'Error: connection lost' });
  });
});
