/**
 * Deskie's per-account limit as the simulator enforces it: a fixed window (a calendar minute by
 * default; tests compress it) in which POST/PUT/DELETE cost 2 calls and everything else 1.
 * deskie-api.md leaves fixed vs sliding open; a fixed window is the one `retry_after` ("seconds
 * until the limit refreshes") describes.
 */
import type { Clock } from '../core/clock';

export interface WindowLimiterOptions {
  /** Calls per window: the plan's requests per minute. */
  rpm: number;
  /** Window length in ms. Default 60 000. */
  windowMs?: number;
  clock: Clock;
}

export interface LimitVerdict {
  allowed: boolean;
  /** The three headers Deskie sends, as strings. `retry_after` only when throttled or exhausted. */
  headers: Record<string, string>;
}

/** The cost Deskie charges for a request of this method. */
export const callCost = (method: string) => (['POST', 'PUT', 'DELETE', 'PATCH'].includes(method) ? 2 : 1);

/** Creates the account's limiter. */
export function createWindowLimiter(options: WindowLimiterOptions) {
  const { clock } = options;
  const windowMs = options.windowMs ?? 60_000;
  let rpm = options.rpm;
  let windowIndex = -1;
  let used = 0;

  const roll = () => {
    const index = Math.floor(clock.now() / windowMs);
    if (index !== windowIndex) {
      windowIndex = index;
      used = 0;
    }
  };
  // Seconds of Deskie's minute until the window refreshes (a compressed window scales them).
  const retryAfter = () => {
    const leftMs = (windowIndex + 1) * windowMs - clock.now();
    return String(Math.max(1, Math.ceil(leftMs / (windowMs / 60))));
  };
  const headers = (throttled: boolean) => {
    const left = Math.max(0, rpm - used);
    const h: Record<string, string> = { rate_limit_per_minute: String(rpm), api_calls_left: String(left) };
    if (throttled || left === 0) h.retry_after = retryAfter();
    return h;
  };

  return {
    /** Charges `cost` calls if they fit this window; a throttled request is not charged. */
    charge(cost: number, force429 = false): LimitVerdict {
      roll();
      if (force429 || used + cost > rpm) return { allowed: false, headers: headers(true) };
      used += cost;
      return { allowed: true, headers: headers(false) };
    },
    /** Current headers without charging anything. */
    peek(): Record<string, string> {
      roll();
      return headers(false);
    },
    /** Changes the plan's limit (takes effect immediately, like an upgrade). */
    setRpm(next: number) {
      rpm = next;
    },
    get rpm() {
      return rpm;
    },
  };
}

export type WindowLimiter = ReturnType<typeof createWindowLimiter>;
