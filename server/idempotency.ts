/**
 * `Idempotency-Key`: the first request with a key does the work; a repeat with the same key and the
 * same content gets the first result, never a second case; the same key with other content is
 * refused. A failed attempt is forgotten so the client's retry can try again. In memory here; the
 * durable outbox persists keys with their results.
 */
import type { Clock } from './clock';
import { ApiError } from './errors';
import { sha256Hex } from './hash';

export interface IdempotencyStore {
  /** Runs `work` once per key; repeats share its result. */
  run<T>(key: string, fingerprint: string, work: () => Promise<T>): Promise<T>;
}

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Throws IDEMPOTENCY_KEY_INVALID for a key we do not accept; returns undefined when none was sent. */
export function readIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY.test(header))
    throw new ApiError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8–128 letters, digits or - _ . :');
  return header;
}

/** SHA-256 of a JSON value, hex: what makes two submissions "the same content". */
export const fingerprintOf = (value: unknown): string => sha256Hex(JSON.stringify(value));

/** Keys kept in memory for `ttlMs` (default a day). */
export function createMemoryIdempotencyStore(clock: Clock, ttlMs = 24 * 3600_000): IdempotencyStore {
  const entries = new Map<string, { fingerprint: string; at: number; result: Promise<unknown> }>();
  return {
    run<T>(key: string, fingerprint: string, work: () => Promise<T>): Promise<T> {
      const now = clock.now();
      for (const [k, e] of entries) if (now - e.at > ttlMs) entries.delete(k);
      const known = entries.get(key);
      if (known) {
        if (known.fingerprint !== fingerprint)
          throw new ApiError(
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was used for a different submission.',
          );
        return known.result as Promise<T>;
      }
      const result = work();
      entries.set(key, { fingerprint, at: now, result });
      result.catch(() => entries.delete(key));
      return result;
    },
  };
}
