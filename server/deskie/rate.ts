/**
 * Deskie's rate limits as the client sees them: what a governor must offer the client (a permit per
 * call, settled with Deskie's answer), how Deskie reports its budget in headers, and the plans'
 * limits. The governors themselves live in server/rate/; the client only asks for permits.
 */

/** How a governed request ended, so the governor can learn from it. */
export interface RateOutcome {
  /** Deskie's response headers, when there was a response. */
  headers?: Headers;
  /** True when Deskie throttled the request (429, or the legacy 403 "rate limit exceeded"). */
  throttled?: boolean;
}

export interface RatePermit {
  /** Ends the request's reservation. Call exactly once, whatever happened; later calls are ignored. */
  settle(outcome: RateOutcome): void;
  /** Gives the reservation back unused (nothing was sent). */
  cancel(): void;
  /** How long Deskie asked to wait, when `settle` reported throttling; else undefined. */
  readonly retryAfterMs: number | undefined;
}

/**
 * Whom a call serves. `delivery` — filing a case (a visitor may be waiting for it) and everything
 * that makes one exactly once — may use the whole budget and goes first. `lookup` — a visitor
 * reading a request's status — may use only a share of it, after any delivery that waits: lookups
 * can never starve the cases.
 */
export type Lane = 'delivery' | 'lookup';

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Default: delivery. */
  lane?: Lane;
  /** Rejects with BudgetUnavailable instead of waiting longer than this (a visitor is waiting). */
  maxWaitMs?: number;
}

/** No budget within the wait a caller allowed; `retryAfterMs` says when there may be. */
export class BudgetUnavailable extends Error {
  override readonly name = 'BudgetUnavailable';
  constructor(readonly retryAfterMs: number) {
    super(`no rate budget within the allowed wait (about ${Math.ceil(retryAfterMs / 1000)} s to room)`);
  }
}

export interface RateGovernor {
  /** Waits (first come, first served within a lane) until a request of `cost` calls fits the budget. */
  acquire(cost: number, options?: AcquireOptions): Promise<RatePermit>;
  /** A delivery's permit now if `cost` fits and no delivery is waiting; otherwise undefined, without waiting. */
  tryAcquire(cost: number): Promise<RatePermit | undefined>;
  /** Calls per window this governor currently allows itself. */
  readonly budget: number;
}

/**
 * `governor` as seen by calls of one lane: every permit asked in `lane`, with the given limits (a
 * lookup's client: the lookup lane, a short wait, the visitor's request as its signal).
 */
export const inLane = (
  governor: RateGovernor,
  lane: Lane,
  limits: Omit<AcquireOptions, 'lane'> = {},
): RateGovernor => ({
  acquire: (cost, options = {}) => governor.acquire(cost, { ...limits, ...options, lane }),
  tryAcquire: (cost) => governor.tryAcquire(cost),
  get budget() {
    return governor.budget;
  },
});

/** What one call costs: Deskie counts POST, PUT and DELETE twice (deskie-api.md §8). */
export const callCost = (method: string) => (method === 'GET' ? 1 : 2);

/** Requests per minute of a Deskie plan with `agents` enabled agents (deskie-api.md §8). */
export function planRpm(plan: 'basic' | 'standard' | 'pro', agents: number): number {
  const n = Math.max(0, Math.floor(agents));
  if (plan === 'basic') return Math.min(50, Math.max(20, 5 * n));
  if (plan === 'standard') return Math.min(750, Math.max(20, 5 * n));
  return Math.min(1500, Math.max(20, 10 * n));
}

/** Deskie's rate headers as numbers (undefined when absent or unreadable). */
export function readRateHeaders(headers: Headers | undefined) {
  const read = (name: string) => {
    const raw = headers?.get(name);
    const value = raw == null || raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return {
    limit: read('rate_limit_per_minute'),
    left: read('api_calls_left'),
    retryAfter: read('retry_after'),
  };
}
