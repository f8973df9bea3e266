/**
 * The API's per-address limits (hono-rate-limiter) counted in the shared database, so instances
 * that come and go — Lambda containers, Worker isolates, several Node processes — enforce one limit
 * together.
 */

import type { Env } from 'hono';
import type { ClientRateLimitInfo, Store } from 'hono-rate-limiter';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../core/clock';
import { type Engine, larger, type OutboxDatabase } from '../db/schema';

/** A store for the limit `name`: one fixed window per address, started by its first hit. */
export function createSharedLimiterStore(
  db: Kysely<OutboxDatabase>,
  engine: Engine,
  name: string,
  clock: Clock,
): Store<Env> {
  let windowMs = 60_000;
  const keyOf = (key: string) => `${name}:${key}`;
  return {
    localKeys: false,
    prefix: name,
    init(options) {
      windowMs = options.windowMs;
    },
    async increment(key): Promise<ClientRateLimitInfo> {
      const now = clock.now();
      // One statement: a new window when the old one is over, else one more hit in it.
      const { rows } = await sql<{ hits: number; reset_at: string }>`
        insert into rate_hits (key, hits, reset_at) values (${keyOf(key)}, 1, ${now + windowMs})
        on conflict (key) do update set
          hits = case when rate_hits.reset_at <= ${now} then 1 else rate_hits.hits + 1 end,
          reset_at = case when rate_hits.reset_at <= ${now} then ${now + windowMs} else rate_hits.reset_at end
        returning hits, reset_at`.execute(db);
      const row = rows[0];
      return {
        totalHits: Number(row?.hits ?? 1),
        resetTime: new Date(Number(row?.reset_at ?? now + windowMs)),
      };
    },
    async decrement(key) {
      await db
        .updateTable('rate_hits')
        .set({ hits: sql`${larger(engine)}(hits - 1, 0)` })
        .where('key', '=', keyOf(key))
        .execute();
    },
    async resetKey(key) {
      await db.deleteFrom('rate_hits').where('key', '=', keyOf(key)).execute();
    },
  };
}

/** Deletes the counters whose window has ended: an address is kept no longer than its limit needs it. */
export async function sweepCounters(db: Kysely<OutboxDatabase>, now: number): Promise<number> {
  const result = await db.deleteFrom('rate_hits').where('reset_at', '<=', Math.round(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
