/** Rows as they leave the database, and times as they go in. */
import type { Selectable } from 'kysely';
import type { SubmissionsTable } from '../db/schema';
import { payloadSchema, type Submission } from './types';

const orNull = (value: number | null) => (value === null ? null : Number(value));

/** A row as it leaves the database: numbers as numbers, the payload parsed (once, here). */
export const toSubmission = (row: Selectable<SubmissionsTable>): Submission => ({
  ...row,
  payload: row.purged_at === null ? payloadSchema.parse(JSON.parse(row.payload)) : null,
  // PostgreSQL returns bigint as a string.
  attempts: Number(row.attempts),
  uncertain: Number(row.uncertain) === 1,
  next_attempt_at: Number(row.next_attempt_at),
  lease_until: row.lease_until === null ? null : Number(row.lease_until),
  case_id: row.case_id === null ? null : Number(row.case_id),
  created_at: Number(row.created_at),
  delivered_at: row.delivered_at === null ? null : Number(row.delivered_at),
  purged_at: row.purged_at === null ? null : Number(row.purged_at),
  dead_at: orNull(row.dead_at),
  notify_at: orNull(row.notify_at),
  notify_attempts: Number(row.notify_attempts),
  notified_at: orNull(row.notified_at),
});

/** Epoch milliseconds as the bigint columns take them (PostgreSQL refuses fractions). */
export const ms = (time: number) => Math.round(time);
