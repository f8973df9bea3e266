/**
 * `Idempotency-Key`: the outbox stores each key with its submission; a repeat with the same key and
 * the same content gets that submission's answer, never a second case; the same key with other
 * content is refused.
 */
import { ApiError } from '../core/errors';
import { base32, sha256Hex } from '../core/hash';

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

/** A new submission id: `sub_` and 20 random base-32 characters (100 bits). */
export function newSubmissionId(): string {
  return `sub_${base32(crypto.getRandomValues(new Uint8Array(20)))}`;
}

/** A new reply id, its reference in Deskie: `rep_` and 20 random base-32 characters (100 bits). */
export function newReplyId(): string {
  return `rep_${base32(crypto.getRandomValues(new Uint8Array(20)))}`;
}
