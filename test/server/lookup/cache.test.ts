/** The case cache never brings back a case as it was before the backend changed it. */
import { describe, expect, it } from 'vitest';
import type { DeskieCase } from '../../../server/deskie/schemas';
import { createCaseCache } from '../../../server/lookup/cache';
import { manualClock } from '../../helpers/backend';

const kase = (status: string) => ({ case_id: 7, case_number: '123-456789', status }) as unknown as DeskieCase;

describe('case cache', () => {
  it('keeps a read for the next lookup, until it is too old', () => {
    const clock = manualClock();
    const cache = createCaseCache(30_000, clock);
    cache.put({ kase: kase('open') }, cache.mark());
    expect(cache.get(7)?.kase.status).toBe('open');
    clock.advance(30_000);
    expect(cache.get(7)).toBeUndefined();
  });

  it('drops a read that was under way when a reply changed the case', () => {
    const cache = createCaseCache(30_000, manualClock());
    // A lookup starts reading the case; the visitor's reply lands and forgets it; the read ends.
    const mark = cache.mark();
    cache.forget(7);
    cache.put({ kase: kase('closed') }, mark);
    expect(cache.get(7)).toBeUndefined();
    // The next lookup reads afresh and is kept.
    cache.put({ kase: kase('open') }, cache.mark());
    expect(cache.get(7)?.kase.status).toBe('open');
  });
});
