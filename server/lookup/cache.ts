/**
 * What Deskie said of a case, kept briefly for the next lookup of it: a visitor who reloads the
 * status, or a flood of lookups of one token, costs no further reads. Bounded in entries; an entry
 * is forgotten when it is too old, or when something the backend did changed the case.
 */
import type { Clock } from '../core/clock';
import type { DeskieCase } from '../deskie/schemas';
import type { PublicMessage } from './replies';

export interface Seen {
  kase: DeskieCase;
  /** Support's public replies, when they were read (their files' Deskie addresses stay here). */
  replies?: PublicMessage[];
}

/** A cache of cases by id, fresh for `ttlMs`, holding at most `max` of them (the oldest go first). */
export function createCaseCache(ttlMs: number, clock: Clock, max = 1_000) {
  const entries = new Map<number, { at: number; seen: Seen }>();
  let changes = 0;
  return {
    /** Taken before reading a case from Deskie, and given to `put` with what was read. */
    mark: () => changes,
    get(caseId: number): Seen | undefined {
      const entry = entries.get(caseId);
      if (entry && clock.now() - entry.at < ttlMs) return entry.seen;
      entries.delete(caseId);
      return undefined;
    },
    /**
     * Keeps what a read found — unless the backend changed a case while it ran (`mark` moved): a
     * lookup that started before a visitor's reply must not bring back the case as it was.
     */
    put(seen: Seen, mark: number) {
      if (mark !== changes) return;
      entries.delete(seen.kase.case_id);
      entries.set(seen.kase.case_id, { at: clock.now(), seen });
      // A Map iterates in insertion order: the first key is the oldest entry.
      if (entries.size > max) entries.delete(entries.keys().next().value as number);
    },
    /** Forgets a case the backend has just changed (a visitor's reply). */
    forget(caseId: number) {
      changes += 1;
      entries.delete(caseId);
    },
  };
}

export type CaseCache = ReturnType<typeof createCaseCache>;
