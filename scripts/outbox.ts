/**
 * `npm run outbox -- <command>`: the operator's view of the outbox named by DESKIE_FORM_DATABASE
 * (default ./data/outbox.sqlite).
 *   stats              depth, dead letters, age of the oldest waiting submission
 *   list [status]      submissions (pending | delivering | delivered | dead), oldest first
 *   retry <id>         put one dead letter back in the queue
 *   retry-dead         put every dead letter back in the queue
 *   erase --email <e>  erase one person's data: their queued and dead submissions are deleted,
 *                      their delivered ones lose the message (the cases themselves are in Deskie)
 */

import { openNodeDatabase } from '../server/db/node';
import type { SubmissionStatus } from '../server/db/schema';
import { describeSubmission } from '../server/http/routes/admin';
import { createOutboxStore } from '../server/outbox/store';

/** Erases one person's submissions and says, line by line, what it did; 1 when some must wait. */
async function erase(email: string): Promise<number> {
  const { deleted, purged, busy } = await store.erase(email, Date.now());
  for (const row of deleted)
    console.log(JSON.stringify({ id: row.id, was: row.status, erased: 'the submission and its files' }));
  for (const row of purged)
    console.log(
      JSON.stringify({ id: row.id, was: row.status, caseNumber: row.case_number, erased: 'the message' }),
    );
  for (const row of busy)
    console.error(JSON.stringify({ id: row.id, was: row.status, erased: 'nothing yet: being delivered' }));
  console.log(
    `${email}: ${deleted.length} deleted, ${purged.length} emptied, ${busy.length} being delivered`,
  );
  if (purged.length > 0)
    console.log(
      `Cases in Deskie hold this person's data too: ${purged.map((r) => r.case_number).join(', ')}.`,
    );
  if (busy.length > 0) console.error('Run erase again in a minute for those being delivered.');
  return busy.length > 0 ? 1 : 0;
}

const target = process.env.DESKIE_FORM_DATABASE ?? './data/outbox.sqlite';
const store = createOutboxStore(await openNodeDatabase(target, 2));
const [command = 'stats', argument] = process.argv.slice(2);
const statuses = ['pending', 'delivering', 'delivered', 'dead'];
let code = 0;

if (command === 'stats') {
  const stats = await store.stats();
  const age = stats.oldestPendingAt === null ? 0 : Math.round((Date.now() - stats.oldestPendingAt) / 1000);
  console.log(JSON.stringify({ pending: stats.pending, dead: stats.dead, oldestPendingSeconds: age }));
} else if (command === 'list' && (argument === undefined || statuses.includes(argument))) {
  for (const row of await store.list({ status: argument as SubmissionStatus | undefined, limit: 1000 }))
    console.log(JSON.stringify(describeSubmission(row)));
} else if (command === 'retry' && argument) {
  if (await store.retry(argument, Date.now())) console.log(`${argument}: back in the queue`);
  else {
    console.error(`${argument}: no dead letter has this id`);
    code = 1;
  }
} else if (command === 'retry-dead') {
  const dead = await store.list({ status: 'dead', limit: 100_000 });
  for (const row of dead) await store.retry(row.id, Date.now());
  console.log(`${dead.length} dead letter(s) back in the queue`);
} else if (
  command === 'erase' &&
  process.argv[3] === '--email' &&
  /^[^\s@]+@[^\s@]+$/.test(process.argv[4] ?? '')
) {
  code = await erase(process.argv[4] ?? '');
} else {
  console.error(
    'usage: npm run outbox -- stats | list [pending|delivering|delivered|dead] | retry <id> | retry-dead | erase --email <address>',
  );
  code = 2;
}
await store.close();
process.exit(code);
