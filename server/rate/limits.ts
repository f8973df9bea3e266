/**
 * The API's own limits, per client address and per case number (not Deskie's budget): counters in
 * hono-rate-limiter stores — in memory for one process, or in the shared database for instances
 * that come and go (see shared-limiter.ts).
 */
import type { Env } from 'hono';
import { type ClientRateLimitInfo, MemoryStore, type Store } from 'hono-rate-limiter';

/** The limits the API keeps; each has its own counters. */
export type LimiterName = 'submissions' | 'lookups' | 'lookup-failures' | 'form-token-uses';

/** Makes the counter store of one limit. */
export type CounterStores = (name: LimiterName) => Store<Env>;

/** Counters in this process's memory. */
export const memoryCounters: CounterStores = () => new MemoryStore<Env>();

/** A store made ready for a window of `windowMs` (rateLimiter does this itself; other users do not). */
export function readyStore(store: Store<Env>, windowMs: number): Store<Env> {
  store.init?.({ windowMs } as Parameters<NonNullable<Store<Env>['init']>>[0]);
  return store;
}

/**
 * One more hit on `key`, and the count it makes — atomically, so hits sent at once are counted as
 * they come. The memory store answers with its live record, which the next hit changes: this
 * hit's count is read at once, before anything is awaited.
 */
export async function countHit(store: Store, key: string): Promise<ClientRateLimitInfo> {
  const counted = store.increment(key);
  if (counted instanceof Promise) return counted;
  return { totalHits: counted.totalHits, resetTime: counted.resetTime };
}

/**
 * Whole seconds until a limit's window ends (at least 1): what Retry-After says. The counter
 * stores date their windows by the wall clock (hono-rate-limiter's own, and ours on systemClock),
 * so the wait is measured on it too, whatever clock the rest of the backend was given.
 */
export const secondsUntil = (resetTime: Date | undefined, windowSeconds: number) =>
  Math.max(1, resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : windowSeconds);

/**
 * The key an address is limited by. An IPv4 address is itself; an IPv6 address is its /64 — one
 * household or one server's whole block, since each of them can take a fresh address at will.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  let a = address.trim().toLowerCase();
  if (a.startsWith('[')) a = a.slice(1, a.indexOf(']'));
  a = a.split('%')[0] ?? a; // a zone (fe80::1%eth0) is no part of the address
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (mapped?.[1]) return mapped[1];
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::');
  const part = (text: string) => (text ? text.split(':') : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  return `${prefix.join(':')}::/64`;
}
