/** The per-address counters kept in a shared database: counted together, and forgotten when their window ends. */
import { describe, expect, it } from 'vitest';
import { openD1 } from '../../../server/db/d1';
import { createSharedLimiterStore, sweepCounters } from '../../../server/rate/shared-limiter';
import { manualClock } from '../../helpers/backend';
import { freshD1 } from '../../helpers/d1';

describe('shared per-address counters', () => {
  it('count hits per window, and an ended window takes the address with it', async () => {
    const { db } = await openD1((await freshD1()).database);
    const clock = manualClock();
    const store = createSharedLimiterStore(db, 'd1', 'submissions', clock);
    store.init?.({ windowMs: 60_000 } as never);
    await store.increment('192.0.2.10');
    expect((await store.increment('192.0.2.10')).totalHits).toBe(2);
    clock.advance(30_000);
    await store.increment('192.0.2.11');
    expect(await sweepCounters(db, clock.now())).toBe(0);
    clock.advance(30_000);
    expect(await sweepCounters(db, clock.now())).toBe(1);
    expect(await db.selectFrom('rate_hits').select('key').execute()).toEqual([
      { key: 'submissions:192.0.2.11' },
    ]);
    clock.advance(30_000);
    expect(await sweepCounters(db, clock.now())).toBe(1);
  });
});
