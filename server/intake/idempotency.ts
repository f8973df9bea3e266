/**
 * `Idempotency-Key`: the outbox stores each key with its submission; a repeat with the same key and
 * the same content gets that submission's answer, never a second case; the same key with other
 * content is refused.
 */
import { ApiError } from '../core/errors';
import { type Digests, randomBase32, SORTABLE_TIME_CHARS, sortableTime } from '../core/hash';
import type { Logger } from '../core/log';
import type { Upload } from '../deskie/client';
import type { Drainer } from '../outbox/drainer';
import type { NewSubmission, OutboxStore } from '../outbox/types';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Throws IDEMPOTENCY_KEY_INVALID for a key we do not accept; returns undefined when none was sent. */
export function readIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY.test(header))
    throw new ApiError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8–128 letters, digits or - _ . :');
  return header;
}

/** SHA-256 of a JSON value, hex: what makes two submissions "the same content". */
export const fingerprintOf = (digests: Digests, value: unknown): string =>
  digests.sha256Hex(JSON.stringify(value));

/**
 * A new outbox id, made at `now`: `prefix`, the time (9 base-32 characters that sort as times do)
 * and 11 random characters (55 bits: two ids collide only when made in the same millisecond and
 * drawn alike). Time first, so that the outbox's index on ids grows at its end: with random ids,
 * each stored submission rewrote a page of the index somewhere in the middle of it (~12 % of a queued
 * submission's CPU once the outbox held ~100 000 rows). Nothing relies on an id being unguessable:
 * a receipt is read only from a signed token.
 */
const timeFirstId = (prefix: string, now: number) =>
  `${prefix}${sortableTime(now)}${randomBase32(20 - SORTABLE_TIME_CHARS)}`;

/** A new submission id, made at `now`: `sub_` and a time-first id. */
export const newSubmissionId = (now: number): string => timeFirstId('sub_', now);

/** A new reply id, made at `now`, its reference in Deskie: `rep_` and a time-first id. */
export const newReplyId = (now: number): string => timeFirstId('rep_', now);

/** What storing once needs: the outbox, the fast path, the log. */
export interface StoreDeps {
  outbox: OutboxStore;
  delivery: Pick<Drainer, 'tryNow' | 'inProgress'>;
  log: Logger;
}

/**
 * Writes `submission` to the outbox once per Idempotency-Key — the same key with other content is
 * refused — then delivers it at once when the budget allows; a repeat gets the outcome of the
 * first's delivery when this process runs it. `words` are the visitor's: what could not be saved,
 * what the key was used for before.
 */
export async function storeOnce(
  deps: StoreDeps,
  submission: NewSubmission,
  uploads: Upload[],
  words: { unsaved: string; reused: string },
) {
  const { row, created } = await deps.outbox.accept(submission, uploads).catch((error: unknown) => {
    deps.log('error', 'outbox write failed', { error: String(error) });
    throw new ApiError('NOT_READY', words.unsaved, { retryAfter: 5 });
  });
  if (!created && row.fingerprint !== submission.fingerprint)
    throw new ApiError('IDEMPOTENCY_KEY_REUSED', words.reused);
  const outcome =
    (created ? await deps.delivery.tryNow(submission.id) : undefined) ??
    (await deps.delivery.inProgress(row.id));
  return { row, created, outcome };
}
