/**
 * A visitor's lookup takes its budget whole: two calls (the case, then its replies), reserved at
 * its first call. Admitted call by call, a flood of lookups would spend the lookups' share on first
 * halves and answer nobody; whole, each admitted lookup finishes and the rest are told at once
 * when to come back. A call beyond the reservation (a long list's next page) asks as usual.
 */
import type { AcquireOptions, RateGovernor, RateOutcome, RatePermit } from '../deskie/rate';
import { oncePermit } from './governor';

export interface Prepaid extends RateGovernor {
  /** The lookup is over: its reservation is dated now (or given back, if it made no call). */
  done(): void;
}

/** A view of `governor` whose calls draw on one reservation of `cost`, taken with `options` at the first call. */
export function prepaid(governor: RateGovernor, cost: number, options: AcquireOptions): Prepaid {
  let reservation: Promise<RatePermit> | undefined;
  let left = cost;
  let used = false;
  let last: RateOutcome = {};
  /** A permit drawn on the reservation: settling it records the answer; a throttled one settles the whole. */
  const drawn = (whole: RatePermit, share: number) =>
    oncePermit({
      settle(outcome) {
        last = outcome;
        if (!outcome.throttled) return undefined;
        whole.settle(outcome);
        return whole.retryAfterMs;
      },
      cancel() {
        left += share;
      },
    });
  return {
    async acquire(callCost, more = {}) {
      reservation ??= governor.acquire(Math.max(cost, callCost), options);
      const whole = await reservation;
      if (left < callCost) return governor.acquire(callCost, { ...options, ...more });
      left -= callCost;
      used = true;
      return drawn(whole, callCost);
    },
    tryAcquire: (callCost) => governor.tryAcquire(callCost),
    get budget() {
      return governor.budget;
    },
    done() {
      void reservation?.then(
        (whole) => (used ? whole.settle(last) : whole.cancel()),
        () => undefined,
      );
    },
  };
}
