/**
 * Delivers one leased submission exactly once. Before sending, the row is marked `uncertain`
 * (write-ahead); only a definite answer clears it. An uncertain row — a timeout, a dropped
 * connection, a crash mid-send — is first looked for in Deskie by the reference its case carries,
 * and created again only when Deskie has no such case.
 */
import type { Clock, Random } from '../core/clock';
import type { Logger } from '../core/log';
import type { DeskieClient } from '../deskie/client';
import { DeskieError } from '../deskie/errors';
import type { RatePermit } from '../deskie/rate';
import type { Notifier } from './notifier';
import { type Landed, sendingFor } from './sending';
import type { OutboxStore, Submission } from './types';

export interface DeliveryContext {
  store: OutboxStore;
  deskie: DeskieClient;
  clock: Clock;
  random: Random;
  log: Logger;
  /** This worker's name on leases. */
  owner: string;
  /** After this many attempts a submission is dead-lettered. Default 50. */
  maxAttempts?: number;
  /** Backoff between attempts: doubling from `baseMs` (default 2 000) up to `maxMs` (default 600 000), jittered. */
  backoff?: { baseMs: number; maxMs: number };
  /** Lease length; a delivery renews its lease every third of it while it runs. */
  leaseMs: number;
  /**
   * The least wait before an uncertain submission is looked for in Deskie: a create that timed
   * out may still be under way there, and a search that comes too soon finds nothing and sends a
   * second case.
   */
  reconcileAfterMs: number;
  /**
   * The owner's webhook, when configured: every death is recorded as owed to it (so a crash
   * cannot forget it) and wakes it.
   */
  notifier?: Pick<Notifier, 'wake'>;
}

export type Outcome =
  | { kind: 'delivered'; caseId: number; caseNumber: string }
  | { kind: 'rescheduled'; at: number; error: string }
  | { kind: 'dead'; error: string }
  | { kind: 'lost-lease' };

export { findDelivered, referenceLine } from './sending';

/**
 * Delivers `row` (leased to `ctx.owner`); `permit` is budget already reserved for the create. The
 * lease is renewed while this runs, so a slow Deskie never lets another worker take the row over
 * mid-send; only a dead worker's lease runs out. `marked`: the claim already marked it sending
 * (store.claim with `sending`), so this attempt is counted and no search is needed.
 */
export async function deliver(
  ctx: DeliveryContext,
  row: Submission,
  permit?: RatePermit,
  marked = false,
): Promise<Outcome> {
  const { leaseMs } = ctx;
  const heartbeat = setInterval(() => {
    void ctx.store.renew(row.id, ctx.owner, ctx.clock.now() + leaseMs).catch(() => undefined);
  }, leaseMs / 3);
  try {
    return await attemptDelivery(ctx, row, permit, marked);
  } finally {
    clearInterval(heartbeat);
  }
}

async function attemptDelivery(
  ctx: DeliveryContext,
  row: Submission,
  permit: RatePermit | undefined,
  marked: boolean,
): Promise<Outcome> {
  const { store, deskie, clock, owner, log } = ctx;
  /** This attempt's number: a marked row has it counted already. */
  const attempts = marked ? row.attempts : row.attempts + 1;
  const delivered = async (kase: Landed, how: string): Promise<Outcome> => {
    if (!(await store.markDelivered(row.id, owner, kase.case_id, kase.case_number, clock.now())))
      return { kind: 'lost-lease' };
    log('info', 'submission delivered', {
      id: row.id,
      caseNumber: kase.case_number,
      attempts,
      how,
    });
    return { kind: 'delivered', caseId: kase.case_id, caseNumber: kase.case_number };
  };
  const again = async (error: string, uncertain: boolean, waitMs?: number): Promise<Outcome> => {
    if (attempts >= (ctx.maxAttempts ?? 50)) return dead(`gave up after ${attempts} attempts: ${error}`);
    // Exponential backoff with equal jitter; never sooner than Deskie asked.
    const { baseMs, maxMs } = ctx.backoff ?? { baseMs: 2_000, maxMs: 10 * 60_000 };
    const backoff = Math.min(maxMs, baseMs * 2 ** (attempts - 1));
    const floor = Math.max(waitMs ?? 0, uncertain ? ctx.reconcileAfterMs : 0);
    const at = clock.now() + Math.max(floor, backoff / 2 + ctx.random() * (backoff / 2));
    if (!(await store.reschedule(row.id, owner, at, error, uncertain))) return { kind: 'lost-lease' };
    log('warn', 'submission delivery postponed', { id: row.id, error, uncertain, inMs: at - clock.now() });
    return { kind: 'rescheduled', at, error };
  };
  const dead = async (error: string): Promise<Outcome> => {
    const death = { at: clock.now(), notify: ctx.notifier !== undefined };
    if (!(await store.markDead(row.id, owner, error, death))) return { kind: 'lost-lease' };
    log('error', 'submission dead-lettered', { id: row.id, form: row.form_id, error });
    ctx.notifier?.wake();
    return { kind: 'dead', error };
  };

  const { payload } = row;
  // Only an erasure takes the payload of a row still to deliver (it deletes the row as well).
  if (!payload) {
    permit?.cancel();
    return dead('its payload was erased');
  }
  const sending = sendingFor(deskie, row, payload);
  if (row.uncertain && !marked) {
    try {
      const found = await sending.find();
      if (found) {
        permit?.cancel();
        return delivered(found, 'reconciled');
      }
    } catch (error) {
      permit?.cancel();
      return again(`reconciliation failed: ${describe(error)}`, true, retryAfter(error));
    }
  }
  const failed = (error: unknown, wrote: boolean) => {
    const next = verdict(error, wrote);
    return next.dead ? dead(describe(error)) : again(describe(error), next.uncertain, next.waitMs);
  };
  try {
    await sending.prepare();
  } catch (error) {
    permit?.cancel();
    return failed(error, false);
  }
  if (!marked && !(await store.markSending(row.id, owner))) {
    permit?.cancel();
    return { kind: 'lost-lease' };
  }
  try {
    return delivered(await sending.send(await store.files(row.id), permit), 'created');
  } catch (error) {
    return failed(error, true);
  }
}

/**
 * What a failed attempt means: death (Deskie refused the data), or another attempt — marked
 * uncertain when the write (`wrote`: it was sent) may have happened after all.
 */
function verdict(
  error: unknown,
  wrote: boolean,
): { dead: true } | { dead: false; uncertain: boolean; waitMs?: number } {
  if (!(error instanceof DeskieError)) return { dead: false, uncertain: wrote };
  switch (error.code) {
    case 'DESKIE_REJECTED':
    case 'DESKIE_NOT_FOUND':
      return { dead: true };
    case 'DESKIE_BAD_RESPONSE':
      // A 2xx we could not read: it was done. Anything else: Deskie refused it.
      return error.status && error.status < 300 ? { dead: false, uncertain: wrote } : { dead: true };
    case 'DESKIE_AUTH_FAILED':
    case 'DESKIE_FORBIDDEN':
      // Not the submission's fault: it waits for the credentials to be fixed.
      return { dead: false, uncertain: false, waitMs: 5 * 60_000 };
    default:
      return { dead: false, uncertain: wrote && error.ambiguous, waitMs: error.retryAfterMs };
  }
}

const describe = (error: unknown) =>
  error instanceof DeskieError
    ? `${error.code}${error.deskieCode ? ` (${error.deskieCode})` : ''}${error.status ? ` HTTP ${error.status}` : ''}`
    : String(error);
const retryAfter = (error: unknown) => (error instanceof DeskieError ? error.retryAfterMs : undefined);
