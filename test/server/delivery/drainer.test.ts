import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../server/clock';
import { createDrainer } from '../../../server/delivery/drainer';
import { openSqliteOutbox } from '../../../server/delivery/sqlite';
import type { DeskieClient } from '../../../server/deskie/client';
import { createGovernor } from '../../../server/deskie/governor';
import { silentLogger } from '../../../server/log';

describe('drainer', () => {
  it('stops at once even while its workers wait a whole window for budget', async () => {
    const outbox = await openSqliteOutbox(':memory:');
    const payload = JSON.stringify({ case: { user_email: 'a@b.co', subject: 's', content: 'c' } });
    await outbox.accept(
      { id: 'sub_1', formId: 'f', idempotencyKey: null, fingerprint: '', payload, now: 0 },
      [],
    );
    const governor = createGovernor({ rpm: 2 });
    (await governor.acquire(2)).settle({}); // the minute's budget is spent
    const drainer = createDrainer({
      store: outbox,
      deskie: {} as DeskieClient,
      governor,
      clock: systemClock,
      random: Math.random,
      log: silentLogger,
      owner: 'w',
    });
    drainer.start();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await drainer.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await outbox.stats()).toMatchObject({ pending: 1 });
    await outbox.close();
  });
});
