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
    /** While true, API requests wait unanswered; turning it off lets every one of them go on. */
    hold: z.boolean(),
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
  hold: false,
});

/**
 * The simulator's current fault settings, shared by its API middleware and its control routes, and
 * the requests `hold` keeps waiting. A held request is answered when the test says so (hold off, or
 * a reset), not after a delay: a test of a timeout then never races the speed of its machine.
 */
export function createFaults() {
  let settings = noFaults();
  const waiting = new Set<() => void>();
  return {
    /** The current settings (a copy). */
    get settings(): FaultSettings {
      return { ...settings };
    },
    /** API requests the hold keeps waiting right now. */
    get held() {
      return waiting.size;
    },
    /** Changes some settings; the rest stay. With `hold` off, every held request goes on. */
    set(patch: Partial<FaultSettings>) {
      settings = { ...settings, ...patch };
      if (!settings.hold) for (const go of [...waiting]) go();
    },
    /** Uses up one of the next N forced answers (429s or 503s); false when none are left. */
    take(counter: 'forced429' | 'failNext'): boolean {
      if (settings[counter] <= 0) return false;
      settings[counter] -= 1;
      return true;
    },
    /** Waits while `hold` is on; a client that gives up (`signal`) stops waiting and is not counted. */
    hold(signal: AbortSignal): Promise<void> {
      if (!settings.hold || signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const go = () => {
          waiting.delete(go);
          signal.removeEventListener('abort', go);
          resolve();
        };
        waiting.add(go);
        signal.addEventListener('abort', go, { once: true });
      });
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
