/**
 * Fault injection for the simulator, so tests can show what the product does when Deskie is slow,
 * down, throttling or cut off mid-answer. All rates are fractions in [0, 1]; all default to off.
 */
import * as z from 'zod';

const rate = z.number().min(0).max(1);

/** A change to some fault settings (`PUT /_sim/faults` takes this body). */
export const faultPatch = z
  .strictObject({
    /** Fraction of API requests answered 503 before anything is done. */
    errorRate: rate,
    /** Milliseconds added before each API request is handled. */
    latencyMs: z.number().int().min(0).max(600_000),
    /** Fraction of API requests never answered: the connection is held until the client gives up. */
    hangRate: rate,
    /** Fraction of writes carried out, then answered by dropping the connection (no response at all). */
    dropAfterCommitRate: rate,
    /** The next N API requests are answered 429 whatever the budget. */
    forced429: z.number().int().min(0),
    /** The next N API requests are answered 503 (after being counted against the budget). */
    failNext: z.number().int().min(0),
  })
  .partial();

export type FaultSettings = Required<z.infer<typeof faultPatch>>;

export const noFaults = (): FaultSettings => ({
  errorRate: 0,
  latencyMs: 0,
  hangRate: 0,
  dropAfterCommitRate: 0,
  forced429: 0,
  failNext: 0,
});

/** The simulator's current fault settings, shared by its API middleware and its control routes. */
export function createFaults() {
  let settings = noFaults();
  return {
    /** The current settings (a copy). */
    get settings(): FaultSettings {
      return { ...settings };
    },
    /** Changes some settings; the rest stay. */
    set(patch: Partial<FaultSettings>) {
      settings = { ...settings, ...patch };
    },
    /** Uses up one of the next N forced answers (429s or 503s); false when none are left. */
    take(counter: 'forced429' | 'failNext'): boolean {
      if (settings[counter] <= 0) return false;
      settings[counter] -= 1;
      return true;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
