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
import { type RateGovernor, type RateOutcome, type RatePermit, readRateHeaders } from '../deskie/rate';

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

/** Creates the governor for one Deskie account. */
export function createGovernor(options: GovernorOptions): RateGovernor {
  const { share = 1, windowMs = 60_000, clock = systemClock, onEvent } = options;
  if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
  if (!(options.rpm > 0)) throw new RangeError(`rpm must be positive, got ${options.rpm}`);
  // Deskie states retry_after in seconds of its one-minute window; a compressed window scales them.
  const secondMs = windowMs / 60;
  let rpm = options.rpm;
  const budget = () => budgetOf(rpm, share);
  const entries: { cost: number; at: number }[] = []; // `at` is Infinity while in flight
  let pausedUntil = 0;
  let serverLeft: { calls: number; until: number } | undefined;
  let settled = new AbortController();
  const turns = createTurnstile();
  const wakeWaiters = () => {
    const wake = settled;
    settled = new AbortController();
    wake.abort();
  };

  const inUse = (now: number) => {
    while (entries.length > 0 && (entries[0]?.at ?? 0) + windowMs <= now) entries.shift();
    let sum = 0;
    for (const e of entries) if (e.at + windowMs > now) sum += e.cost;
    return sum;
  };

  const waitForRoom = async (cost: number, signal?: AbortSignal): Promise<RatePermit> => {
    for (;;) {
      signal?.throwIfAborted();
      const now = clock.now();
      if (now < pausedUntil) {
        await clock.sleep(pausedUntil - now, signal);
        continue;
      }
      if (serverLeft && now >= serverLeft.until) serverLeft = undefined;
      if (serverLeft && serverLeft.calls < cost) {
        pausedUntil = serverLeft.until;
        onEvent?.({ type: 'exhausted', resumeInMs: pausedUntil - now });
        serverLeft = undefined;
        continue;
      }
      if (inUse(now) + cost <= budget()) return take(cost);
      let oldest = Number.POSITIVE_INFINITY;
      for (const e of entries) oldest = Math.min(oldest, e.at);
      // Either the oldest finished call leaves the window, or an in-flight one finishes and is dated.
      const waitMs = Number.isFinite(oldest) ? oldest + windowMs - now : windowMs;
      const wake = signal ? AbortSignal.any([signal, settled.signal]) : settled.signal;
      await clock.sleep(waitMs, wake);
    }
  };

  const take = (cost: number): RatePermit => {
    const entry = { cost, at: Number.POSITIVE_INFINITY };
    entries.push(entry);
    if (serverLeft) serverLeft.calls -= cost;
    return oncePermit({
      cancel() {
        entries.splice(entries.indexOf(entry), 1);
        if (serverLeft) serverLeft.calls += cost;
        wakeWaiters();
      },
      settle(outcome) {
        const now = clock.now();
        entry.at = now;
        entries.sort((a, b) => a.at - b.at);
        const { limit, left, retryAfter } = readRateHeaders(outcome.headers);
        if (limit !== undefined && limit > 0 && limit !== rpm) {
          rpm = limit;
          onEvent?.({ type: 'limit-changed', rpm });
        }
        const waitMs = retryAfter !== undefined ? retryAfter * secondMs : windowMs;
        if (outcome.throttled) {
          pausedUntil = Math.max(pausedUntil, now + waitMs);
          serverLeft = undefined;
          onEvent?.({ type: 'throttled', retryAfterMs: waitMs });
        } else if (left !== undefined) {
          let inFlight = 0;
          for (const e of entries) if (!Number.isFinite(e.at)) inFlight += e.cost;
          // Calls still in flight may not be counted in `left` yet: assume they will be.
          serverLeft = { calls: left - inFlight, until: now + waitMs };
        }
        wakeWaiters();
        return outcome.throttled ? waitMs : undefined;
      },
    });
  };

  /** Whether `cost` fits right now. */
  const fits = (cost: number, now: number) =>
    now >= pausedUntil &&
    !(serverLeft && now < serverLeft.until && serverLeft.calls < cost) &&
    inUse(now) + cost <= budget();

  return {
    acquire(cost, signal) {
      if (!(cost > 0)) throw new RangeError(`cost must be positive, got ${cost}`);
      return turns.take(() => waitForRoom(cost, signal));
    },
    async tryAcquire(cost) {
      return turns.waiting === 0 && fits(cost, clock.now()) ? take(cost) : undefined;
    },
    get budget() {
      return budget();
    },
  };
}
