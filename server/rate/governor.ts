/**
 * The rate-limit governor: one per Deskie account, shared by every client of that account.
 *
 * Deskie counts calls per account in a window of a minute (writes cost 2) and answers 429 past the
 * plan's limit. Its window's alignment is unknown, so the governor keeps a *sliding* window: a call
 * may start only if the calls that finished less than one window ago, plus those still in flight,
 * leave room for it. A call is dated by when its answer came back, which is no earlier than when
 * Deskie counted it, so no fixed window of Deskie's — wherever it starts — can hold more than the
 * budget. Bursts still go out at once: N writes use the minimal ceil(2N / budget) windows.
 *
 * Other integrations spend the same account budget, so the governor also listens to Deskie's
 * headers: `api_calls_left` (pause when too few are left), `rate_limit_per_minute` (the plan
 * changed) and, on a 429, `retry_after`.
 */
import { type Clock, systemClock } from '../core/clock';
import {
  BudgetUnavailable,
  type Lane,
  type RateGovernor,
  type RateOutcome,
  type RatePermit,
  readRateHeaders,
} from '../deskie/rate';

/** Reported to `onEvent` so operators can see throttling happen. */
export type GovernorEvent =
  | { type: 'throttled'; retryAfterMs: number }
  | { type: 'exhausted'; resumeInMs: number }
  | { type: 'limit-changed'; rpm: number }
  /** A shared governor could not write a call's budget back (it counts until it expires instead). */
  | { type: 'write-failed'; error: string };

export interface GovernorOptions {
  /** The account's requests per minute (the plan's cap; see `planRpm`). */
  rpm: number;
  /** Fraction of the account's budget this product may use, leaving the rest to other integrations. Default 1. */
  share?: number;
  /** Length of Deskie's rate window in ms. Default 60 000; tests compress it. */
  windowMs?: number;
  /** Default: the system clock. */
  clock?: Clock;
  /** Called on throttling, exhaustion reported by Deskie, and plan changes. */
  onEvent?: (event: GovernorEvent) => void;
  /** The most of the budget lookups may use in a window; deliveries always have the rest. Default 0.5. */
  lookupShare?: number;
}

const MIN_BUDGET = 2; // one write must always fit, or writes would wait forever

/** Turns taken one after another, first come first served; `waiting` counts those not yet done. */
export function createTurnstile() {
  let line: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  return {
    get waiting() {
      return waiting;
    },
    take<T>(turn: () => Promise<T>): Promise<T> {
      waiting += 1;
      const result = line.then(turn).finally(() => {
        waiting -= 1;
      });
      line = result.catch(() => undefined);
      return result;
    },
  };
}

/**
 * A permit whose `settle` and `cancel` act once, whichever comes first; `settle` returns the wait
 * Deskie asked for when it throttled the call (kept as `retryAfterMs`).
 */
export function oncePermit(actions: {
  settle(outcome: RateOutcome): number | undefined;
  cancel(): void;
}): RatePermit {
  let done = false;
  let retryAfterMs: number | undefined;
  return {
    get retryAfterMs() {
      return retryAfterMs;
    },
    cancel() {
      if (done) return;
      done = true;
      actions.cancel();
    },
    settle(outcome) {
      if (done) return;
      done = true;
      retryAfterMs = actions.settle(outcome);
    },
  };
}

/** Calls per window a governor may use of a plan's `rpm`. */
export const budgetOf = (rpm: number, share: number) => Math.max(MIN_BUDGET, Math.floor(rpm * share));

/** Calls per window open to `lane`: the whole budget for deliveries, `lookupShare` of it for lookups. */
export const capOf = (budget: number, lane: Lane, lookupShare: number) =>
  lane === 'delivery' ? budget : Math.max(1, Math.floor(budget * lookupShare));

/** One turnstile per lane: a lookup never stands in a delivery's line. */
export const createLanes = (): Record<Lane, ReturnType<typeof createTurnstile>> => ({
  delivery: createTurnstile(),
  lookup: createTurnstile(),
});

/** Throws BudgetUnavailable when a wait of `waitMs` from `now` would end after `deadline`. */
export function withinDeadline(now: number, waitMs: number, deadline: number | undefined) {
  if (deadline !== undefined && now + waitMs > deadline) throw new BudgetUnavailable(waitMs);
}

/**
 * The calls of one window: those in flight (a sum: each counts until its answer comes) and those
 * finished, oldest first. A call is dated when its answer comes, never before the last one dated,
 * so the finished calls form a queue: each leaves from the head as it leaves the window, and how
 * much is in use, or when the oldest leaves, costs the same however many calls the window holds.
 * (A list of every call, walked and sorted on each one, cost a busy account's window thousands of
 * steps a call: an unmetered plan at a few hundred cases a second holds ~10 000.)
 */
function createCalls() {
  const ats: number[] = [];
  const costs: number[] = [];
  let head = 0;
  let finished = 0;
  let latest = Number.NEGATIVE_INFINITY;
  return {
    /** Costs of calls sent and not yet answered. */
    inFlight: 0,
    /** Dates a call answered at `now` (or at the latest date given, if the clock went back). */
    finish(cost: number, now: number) {
      this.inFlight -= cost;
      latest = Math.max(latest, now);
      ats.push(latest);
      costs.push(cost);
      finished += cost;
    },
    /** Costs counted at `now`: in flight, or finished less than `windowMs` before. */
    inUse(now: number, windowMs: number) {
      while (head < ats.length && (ats[head] as number) + windowMs <= now)
        finished -= costs[head++] as number;
      if (head > 1024 && head * 2 > ats.length) {
        ats.splice(0, head);
        costs.splice(0, head);
        head = 0;
      }
      return this.inFlight + finished;
    },
    /** When the oldest finished call still counted was answered; undefined when none is. */
    oldest: (): number | undefined => ats[head],
  };
}

/** What one governor knows of its account's window. */
interface Window {
  windowMs: number;
  /** Deskie states retry_after in seconds of its one-minute window; a compressed window scales them. */
  secondMs: number;
  rpm: number;
  calls: ReturnType<typeof createCalls>;
  pausedUntil: number;
  /** What Deskie said is left of the window, and until when that holds. */
  serverLeft: { calls: number; until: number } | undefined;
  onEvent: ((event: GovernorEvent) => void) | undefined;
}

/** Learns from Deskie's answer to a call: the plan's limit, a pause, what is left; returns the wait a throttle asked for. */
function learn(w: Window, outcome: RateOutcome, now: number): number | undefined {
  const { limit, left, retryAfter } = readRateHeaders(outcome.headers);
  if (limit !== undefined && limit > 0 && limit !== w.rpm) {
    w.rpm = limit;
    w.onEvent?.({ type: 'limit-changed', rpm: limit });
  }
  const waitMs = retryAfter !== undefined ? retryAfter * w.secondMs : w.windowMs;
  if (outcome.throttled) {
    w.pausedUntil = Math.max(w.pausedUntil, now + waitMs);
    w.serverLeft = undefined;
    w.onEvent?.({ type: 'throttled', retryAfterMs: waitMs });
    return waitMs;
  }
  if (left !== undefined) {
    // Calls still in flight may not be counted in `left` yet: assume they will be.
    w.serverLeft = { calls: left - w.calls.inFlight, until: now + waitMs };
  }
  return undefined;
}

/** Creates the governor for one Deskie account. */
export function createGovernor(options: GovernorOptions): RateGovernor {
  const { share = 1, windowMs = 60_000, clock = systemClock, lookupShare = 0.5 } = options;
  if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
  if (!(options.rpm > 0)) throw new RangeError(`rpm must be positive, got ${options.rpm}`);
  const w: Window = {
    windowMs,
    secondMs: windowMs / 60,
    rpm: options.rpm,
    calls: createCalls(),
    pausedUntil: 0,
    serverLeft: undefined,
    onEvent: options.onEvent,
  };
  const budget = () => budgetOf(w.rpm, share);
  const lanes = createLanes();
  // Made only while a caller waits: aborting one makes an exception object, and every call wakes.
  let settled: AbortController | undefined;
  const settledSignal = () => {
    settled ??= new AbortController();
    return settled.signal;
  };
  const wakeWaiters = () => {
    const wake = settled;
    settled = undefined;
    wake?.abort();
  };

  /** Whether `lane` may take `cost` calls now: room under its cap, and for a lookup, no delivery waiting. */
  const room = (cost: number, lane: Lane, now: number) =>
    w.calls.inUse(now, windowMs) + cost <= capOf(budget(), lane, lookupShare) &&
    (lane === 'delivery' || lanes.delivery.waiting === 0);

  const waitForRoom = async (cost: number, lane: Lane, signal?: AbortSignal, deadline?: number) => {
    for (;;) {
      signal?.throwIfAborted();
      const now = clock.now();
      if (now < w.pausedUntil) {
        withinDeadline(now, w.pausedUntil - now, deadline);
        await clock.sleep(w.pausedUntil - now, signal);
        continue;
      }
      if (w.serverLeft && now >= w.serverLeft.until) w.serverLeft = undefined;
      if (w.serverLeft && w.serverLeft.calls < cost) {
        w.pausedUntil = w.serverLeft.until;
        w.onEvent?.({ type: 'exhausted', resumeInMs: w.pausedUntil - now });
        w.serverLeft = undefined;
        continue;
      }
      if (room(cost, lane, now)) return take(cost);
      const oldest = w.calls.oldest();
      // Either the oldest finished call leaves the window, or an in-flight one finishes and is dated.
      const waitMs = oldest !== undefined ? oldest + windowMs - now : windowMs;
      withinDeadline(now, waitMs, deadline);
      const wake = signal ? AbortSignal.any([signal, settledSignal()]) : settledSignal();
      await clock.sleep(waitMs, wake);
    }
  };

  const take = (cost: number): RatePermit => {
    w.calls.inFlight += cost;
    if (w.serverLeft) w.serverLeft.calls -= cost;
    // A lookup may have been held back only because this delivery waited: let it look again.
    wakeWaiters();
    return oncePermit({
      cancel() {
        w.calls.inFlight -= cost;
        if (w.serverLeft) w.serverLeft.calls += cost;
        wakeWaiters();
      },
      settle(outcome) {
        const now = clock.now();
        w.calls.finish(cost, now);
        const waitMs = learn(w, outcome, now);
        wakeWaiters();
        return waitMs;
      },
    });
  };

  /** Whether a delivery of `cost` fits right now. */
  const fits = (cost: number, now: number) =>
    now >= w.pausedUntil &&
    !(w.serverLeft && now < w.serverLeft.until && w.serverLeft.calls < cost) &&
    room(cost, 'delivery', now);

  return {
    acquire(cost, { lane = 'delivery', signal, maxWaitMs } = {}) {
      if (!(cost > 0)) throw new RangeError(`cost must be positive, got ${cost}`);
      const deadline = maxWaitMs === undefined ? undefined : clock.now() + maxWaitMs;
      return lanes[lane].take(() => waitForRoom(cost, lane, signal, deadline));
    },
    async tryAcquire(cost) {
      return lanes.delivery.waiting === 0 && fits(cost, clock.now()) ? take(cost) : undefined;
    },
    get budget() {
      return budget();
    },
  };
}
