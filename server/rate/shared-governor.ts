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
import { type Lane, type RateGovernor, type RatePermit, readRateHeaders } from '../deskie/rate';
import { budgetOf, capOf, createLanes, type GovernorEvent, oncePermit, withinDeadline } from './governor';

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
  /** The most of the budget lookups may use in a window. Default 0.5. */
  lookupShare?: number;
}

const LOCK = 74726002;

/** What one instance knows of the shared window: where it is kept, and its settings. */
interface Table {
  db: Kysely<OutboxDatabase>;
  engine: Exclude<Engine, 'sqlite'>;
  share: number;
  windowMs: number;
  pollMs: number;
  inFlightMs: number;
  clock: Clock;
  /** The plan's requests per minute, as last learned from Deskie (by any instance). */
  rpm: number;
  /** Writes of settled and cancelled permits not yet done. */
  writes: Set<Promise<unknown>>;
  lookupShare: number;
}

type Look = { id: string; waitMs?: undefined } | { id?: undefined; waitMs: number };
type Calls = { cost: number; at: number | null }[];

const budget = (t: Table) => budgetOf(t.rpm, t.share);

/** Records what Deskie told us: the plan's limit, and a pause that only ever grows. */
const setState = (t: Table, patch: { rpm?: number; paused_until?: number }) =>
  t.db
    .insertInto('rate_state')
    .values({ id: 1, rpm: patch.rpm ?? null, paused_until: patch.paused_until ?? 0 })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        rpm: patch.rpm ?? eb.ref('rate_state.rpm'),
        paused_until: sql<number>`${larger(t.engine)}(rate_state.paused_until, ${patch.paused_until ?? 0})`,
      })),
    )
    .execute();

/** Finished calls older than the window, and in-flight calls of instances long gone. */
const dropStale = (t: Table, q: Pick<Kysely<OutboxDatabase>, 'deleteFrom'>, now: number) =>
  q
    .deleteFrom('rate_calls')
    .where((eb) =>
      eb.or([eb('at', '<=', now - t.windowMs), eb.and([eb('at', 'is', null), eb('expires', '<', now)])]),
    )
    .execute();

/** How long until the oldest finished call leaves the window (a poll if none has finished). */
const untilRoom = (t: Table, calls: Calls, now: number) => {
  const finished = calls.filter((c) => c.at !== null).map((c) => Number(c.at));
  return finished.length > 0 ? Math.min(...finished) + t.windowMs - now : t.pollMs;
};

/** The shared state: learns the plan's limit; returns how long the pause still lasts. */
const readState = async (t: Table, q: Pick<Kysely<OutboxDatabase>, 'selectFrom'>, now: number) => {
  const state = await q.selectFrom('rate_state').selectAll().where('id', '=', 1).executeTakeFirst();
  if (state?.rpm) t.rpm = Number(state.rpm);
  return Math.max(0, Number(state?.paused_until ?? 0) - now);
};

/** PostgreSQL: one look under the lock — a permit, or how long to wait before looking again. */
const lockedLook = (t: Table, cost: number, cap: number): Promise<Look> =>
  t.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${LOCK})`.execute(tx);
    const now = Math.round(t.clock.now());
    await dropStale(t, tx, now);
    const paused = await readState(t, tx, now);
    if (paused > 0) return { waitMs: paused };
    const calls = await tx.selectFrom('rate_calls').select(['cost', 'at']).execute();
    const used = calls.reduce((sum, c) => sum + Number(c.cost), 0);
    if (used + cost > cap) return { waitMs: untilRoom(t, calls, now) };
    const id = crypto.randomUUID();
    await tx
      .insertInto('rate_calls')
      .values({ id, cost, at: null, expires: now + t.inFlightMs })
      .execute();
    return { id };
  });

/** D1: the insert happens only while the window (and the pause) leaves room, in one statement. */
const atomicLook = async (t: Table, cost: number, cap: number): Promise<Look> => {
  const now = Math.round(t.clock.now());
  await dropStale(t, t.db, now);
  const paused = await readState(t, t.db, now);
  if (paused > 0) return { waitMs: paused };
  const id = crypto.randomUUID();
  const taken = await sql`
    insert into rate_calls (id, cost, at, expires)
    select ${id}, ${cost}, null, ${now + t.inFlightMs}
    where (select coalesce(sum(cost), 0) from rate_calls) + ${cost} <= ${cap}
      and coalesce((select paused_until from rate_state where id = 1), 0) <= ${now}`.execute(t.db);
  if ((taken.numAffectedRows ?? 0n) > 0n) return { id };
  return { waitMs: untilRoom(t, await t.db.selectFrom('rate_calls').select(['cost', 'at']).execute(), now) };
};

/**
 * Runs a permit's write without the caller waiting for it (a Deskie call must not wait on the
 * database to hand back or date its budget), but where `flush` can. A write that fails is only
 * reported: the call then keeps counting until it expires, which spends budget, never overspends
 * it — and a rejection nobody awaits would end the process.
 */
const track = (t: Table, write: () => Promise<unknown>, onEvent: SharedGovernorOptions['onEvent']) => {
  const running = write().then(
    () => undefined,
    (error: unknown) => onEvent?.({ type: 'write-failed', error: String(error) }),
  );
  t.writes.add(running);
  void running.finally(() => t.writes.delete(running));
};

/** The permit for call `id`: settling dates the call and shares what Deskie's headers said. */
function permitFor(t: Table, id: string, onEvent: SharedGovernorOptions['onEvent']): RatePermit {
  const secondMs = t.windowMs / 60;
  return oncePermit({
    cancel() {
      track(t, () => t.db.deleteFrom('rate_calls').where('id', '=', id).execute(), onEvent);
    },
    settle(outcome) {
      const now = Math.round(t.clock.now());
      const { limit, left, retryAfter } = readRateHeaders(outcome.headers);
      const waitMs = retryAfter !== undefined ? retryAfter * secondMs : t.windowMs;
      if (outcome.throttled) onEvent?.({ type: 'throttled', retryAfterMs: waitMs });
      if (limit !== undefined && limit > 0 && limit !== t.rpm) {
        t.rpm = limit;
        onEvent?.({ type: 'limit-changed', rpm: limit });
      }
      const pause =
        outcome.throttled || (left !== undefined && left < 2) ? Math.round(now + waitMs) : undefined;
      track(
        t,
        async () => {
          await t.db.updateTable('rate_calls').set({ at: now }).where('id', '=', id).execute();
          if (pause !== undefined || limit !== undefined)
            await setState(t, { rpm: limit, paused_until: pause });
        },
        onEvent,
      );
      return outcome.throttled ? waitMs : undefined;
    },
  });
}

/** A governor whose budget lives in the database, and whose permits' writes can be awaited. */
export interface SharedGovernor extends RateGovernor {
  /**
   * Resolves once the writes of every permit settled or cancelled so far are done (another
   * instance sees the room they give back or the pause they record only then); rejects if one failed.
   */
  flush(): Promise<void>;
}

/** The shared governor over `db` (tables from db/schema.ts). */
export function createSharedGovernor(
  db: Kysely<OutboxDatabase>,
  options: SharedGovernorOptions,
): SharedGovernor {
  const t: Table = {
    db,
    engine: options.engine ?? 'postgres',
    share: options.share ?? 1,
    windowMs: options.windowMs ?? 60_000,
    pollMs: options.pollMs ?? 250,
    inFlightMs: options.inFlightMs ?? 120_000,
    clock: options.clock ?? systemClock,
    rpm: options.rpm,
    writes: new Set(),
    lookupShare: options.lookupShare ?? 0.5,
  };
  const lanes = createLanes();
  const look = t.engine === 'd1' ? atomicLook : lockedLook;

  /** Looks until `lane` has room for `cost` (a lookup also waits for this instance's deliveries). */
  const waitForRoom = async (cost: number, lane: Lane, signal?: AbortSignal, deadline?: number) => {
    for (;;) {
      signal?.throwIfAborted();
      const now = t.clock.now();
      const result =
        lane === 'lookup' && lanes.delivery.waiting > 0
          ? { waitMs: t.pollMs }
          : await look(t, cost, capOf(budget(t), lane, t.lookupShare));
      if (result.id) return permitFor(t, result.id, options.onEvent);
      withinDeadline(now, result.waitMs ?? t.pollMs, deadline);
      await t.clock.sleep(Math.max(1, Math.min(result.waitMs ?? t.pollMs, t.pollMs)), signal);
    }
  };

  return {
    acquire(cost, { lane = 'delivery', signal, maxWaitMs } = {}) {
      const deadline = maxWaitMs === undefined ? undefined : t.clock.now() + maxWaitMs;
      return lanes[lane].take(() => waitForRoom(cost, lane, signal, deadline));
    },
    async tryAcquire(cost) {
      if (lanes.delivery.waiting > 0) return undefined;
      const result = await look(t, cost, budget(t));
      return result.id ? permitFor(t, result.id, options.onEvent) : undefined;
    },
    get budget() {
      return budget(t);
    },
    async flush() {
      await Promise.all(t.writes);
    },
  };
}
