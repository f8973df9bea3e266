/**
 * The rate governor for several instances on one database: the same sliding window as the
 * in-process governor (server/deskie/governor.ts), kept in a table, so that all instances together
 * stay within the account's budget. PostgreSQL takes a permit under an advisory lock; D1 has no
 * locks and no transactions but runs each statement alone, so there the insert that takes a
 * permit checks the room itself. A call in flight counts until it is answered or, if its instance
 * died, until it expires.
 */
import { type Kysely, sql } from 'kysely';
import { type Clock, systemClock } from '../core/clock';
import { type Engine, larger, type OutboxDatabase } from '../db/schema';
import { type RateGovernor, type RatePermit, readRateHeaders } from '../deskie/rate';
import { budgetOf, createTurnstile, type GovernorEvent, oncePermit } from './governor';

export interface SharedGovernorOptions {
  /** Default postgres. */
  engine?: Exclude<Engine, 'sqlite'>;
  /** The account's requests per minute (Deskie's header overrides it once seen). */
  rpm: number;
  /** Default 1. */
  share?: number;
  /** Default 60 000. */
  windowMs?: number;
  /** Longest wait between two looks at the table. Default 250 ms. */
  pollMs?: number;
  /** How long an unanswered call of a vanished instance keeps counting. Default 120 000 ms. */
  inFlightMs?: number;
  clock?: Clock;
  onEvent?: (event: GovernorEvent) => void;
}

const LOCK = 74726002;

/** The shared governor over `db` (tables from `migrate`). */
export function createSharedGovernor(
  db: Kysely<OutboxDatabase>,
  options: SharedGovernorOptions,
): RateGovernor {
  const {
    engine = 'postgres',
    share = 1,
    windowMs = 60_000,
    pollMs = 250,
    inFlightMs = 120_000,
    clock = systemClock,
    onEvent,
  } = options;
  const secondMs = windowMs / 60;
  let rpm = options.rpm;
  const turns = createTurnstile();

  const setState = (patch: { rpm?: number; paused_until?: number }) =>
    db
      .insertInto('rate_state')
      .values({ id: 1, rpm: patch.rpm ?? null, paused_until: patch.paused_until ?? 0 })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          rpm: patch.rpm ?? eb.ref('rate_state.rpm'),
          paused_until: sql<number>`${larger(engine)}(rate_state.paused_until, ${patch.paused_until ?? 0})`,
        })),
      )
      .execute();

  const permit = (id: string): RatePermit =>
    oncePermit({
      cancel() {
        void db.deleteFrom('rate_calls').where('id', '=', id).execute();
      },
      settle(outcome) {
        const now = Math.round(clock.now());
        const { limit, left, retryAfter } = readRateHeaders(outcome.headers);
        const waitMs = retryAfter !== undefined ? retryAfter * secondMs : windowMs;
        if (outcome.throttled) onEvent?.({ type: 'throttled', retryAfterMs: waitMs });
        if (limit !== undefined && limit > 0 && limit !== rpm) {
          rpm = limit;
          onEvent?.({ type: 'limit-changed', rpm });
        }
        const pause =
          outcome.throttled || (left !== undefined && left < 2) ? Math.round(now + waitMs) : undefined;
        void (async () => {
          await db.updateTable('rate_calls').set({ at: now }).where('id', '=', id).execute();
          if (pause !== undefined || limit !== undefined) await setState({ rpm: limit, paused_until: pause });
        })();
        return outcome.throttled ? waitMs : undefined;
      },
    });

  type Look = { id: string; waitMs?: undefined } | { id?: undefined; waitMs: number };
  type Calls = { cost: number; at: number | null }[];

  /** Finished calls older than the window, and in-flight calls of instances long gone. */
  const dropStale = (q: Pick<Kysely<OutboxDatabase>, 'deleteFrom'>, now: number) =>
    q
      .deleteFrom('rate_calls')
      .where((eb) =>
        eb.or([eb('at', '<=', now - windowMs), eb.and([eb('at', 'is', null), eb('expires', '<', now)])]),
      )
      .execute();
  /** How long until the oldest finished call leaves the window (a poll if none has finished). */
  const untilRoom = (calls: Calls, now: number) => {
    const finished = calls.filter((c) => c.at !== null).map((c) => Number(c.at));
    return finished.length > 0 ? Math.min(...finished) + windowMs - now : pollMs;
  };
  const readState = async (q: Pick<Kysely<OutboxDatabase>, 'selectFrom'>, now: number) => {
    const state = await q.selectFrom('rate_state').selectAll().where('id', '=', 1).executeTakeFirst();
    if (state?.rpm) rpm = Number(state.rpm);
    return Math.max(0, Number(state?.paused_until ?? 0) - now);
  };

  /** PostgreSQL: one look under the lock — a permit, or how long to wait before looking again. */
  const lockedLook = (cost: number): Promise<Look> =>
    db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${LOCK})`.execute(tx);
      const now = Math.round(clock.now());
      await dropStale(tx, now);
      const paused = await readState(tx, now);
      if (paused > 0) return { waitMs: paused };
      const calls = await tx.selectFrom('rate_calls').select(['cost', 'at']).execute();
      const used = calls.reduce((sum, c) => sum + Number(c.cost), 0);
      if (used + cost <= budgetOf(rpm, share)) {
        const id = crypto.randomUUID();
        await tx
          .insertInto('rate_calls')
          .values({ id, cost, at: null, expires: now + inFlightMs })
          .execute();
        return { id };
      }
      return { waitMs: untilRoom(calls, now) };
    });

  /** D1: the insert happens only while the window (and the pause) leaves room, in one statement. */
  const atomicLook = async (cost: number): Promise<Look> => {
    const now = Math.round(clock.now());
    await dropStale(db, now);
    const paused = await readState(db, now);
    if (paused > 0) return { waitMs: paused };
    const id = crypto.randomUUID();
    const taken = await sql`
      insert into rate_calls (id, cost, at, expires)
      select ${id}, ${cost}, null, ${now + inFlightMs}
      where (select coalesce(sum(cost), 0) from rate_calls) + ${cost} <= ${budgetOf(rpm, share)}
        and coalesce((select paused_until from rate_state where id = 1), 0) <= ${now}`.execute(db);
    if ((taken.numAffectedRows ?? 0n) > 0n) return { id };
    return { waitMs: untilRoom(await db.selectFrom('rate_calls').select(['cost', 'at']).execute(), now) };
  };

  const attempt = engine === 'd1' ? atomicLook : lockedLook;

  const waitForRoom = async (cost: number, signal?: AbortSignal): Promise<RatePermit> => {
    for (;;) {
      signal?.throwIfAborted();
      const result = await attempt(cost);
      if (result.id) return permit(result.id);
      await clock.sleep(Math.max(1, Math.min(result.waitMs ?? pollMs, pollMs)), signal);
    }
  };

  return {
    acquire(cost, signal) {
      return turns.take(() => waitForRoom(cost, signal));
    },
    async tryAcquire(cost) {
      if (turns.waiting > 0) return undefined;
      const result = await attempt(cost);
      return result.id ? permit(result.id) : undefined;
    },
    get budget() {
      return budgetOf(rpm, share);
    },
  };
}
