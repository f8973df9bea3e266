/** How a lookup's failures reach the visitor: every miss alike, Deskie's own answers never. */
import { ApiError } from '../core/errors';
import { DeskieError } from '../deskie/errors';

export const notFound = () => new ApiError('NOT_FOUND', 'No request matches these details.');

/**
 * What a visitor is told when a Deskie read failed. Nothing of Deskie's own answer is passed on:
 * it may name the account or staff. Throttling says when to come back.
 */
export function fromDeskieError(error: DeskieError): ApiError {
  const retryAfter =
    error.code === 'DESKIE_RATE_LIMITED' ? Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000)) : 30;
  return new ApiError(
    'DESKIE_UNAVAILABLE',
    'The help desk cannot be reached right now. Please try again shortly.',
    { retryAfter },
  );
}

/** A Deskie call whose failure the visitor hears of as a miss (not found) or as Deskie being away. */
export async function fromDeskie<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof DeskieError && error.code === 'DESKIE_NOT_FOUND') throw notFound();
    if (error instanceof DeskieError) throw fromDeskieError(error);
    throw error;
  }
}
