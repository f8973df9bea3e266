/** Retention on Node: the process purges at start (and hourly), on a database an earlier version wrote. */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../server/db/sqlite';
import { createOutboxStore } from '../../../server/outbox/store';
import { payloadSubject } from '../../../server/outbox/types';
import { backendEnv, startEntry } from '../../helpers/process';
import { startSimulator } from '../../helpers/serve';

describe('the Node backend at start', () => {
  it('migrates an older outbox and drops the payload of a submission delivered over a week ago', async () => {
    const sim = await startSimulator({ rpm: 1_000_000 });
    const database = join(mkdtempSync(join(tmpdir(), 'deskie-retention-')), 'outbox.sqlite');
    // Written before versioned migrations; its delivered submission was delivered on 2026-11-01.
    copyFileSync(new URL('../../fixtures/outbox-v0.sqlite', import.meta.url), database);
    const backend = startEntry('server/runtimes/node.ts', backendEnv(sim.url, { database }));
    await backend.waitFor(/"msg":"outbox retention"/);
    backend.child.kill('SIGTERM');
    await backend.exited;
    const outbox = createOutboxStore(await openSqlite(database));
    expect(await outbox.get('sub_fixturedelivered')).toMatchObject({
      payload: null,
      case_number: '123-456789',
    });
    // The queued one is not the retention's business: it was delivered by the drainer meanwhile, or waits.
    expect(payloadSubject((await outbox.get('sub_fixturequeued'))!.payload!)).toBe('Subject queued');
    await outbox.close();
  });
});
