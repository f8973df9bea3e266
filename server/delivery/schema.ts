/**
 * The outbox schema, one for every engine (SQLite embedded, PostgreSQL shared). Times are epoch
 * milliseconds; `uncertain` is 1 while a create may have reached Deskie without our knowing.
 */
import { type Kysely, sql } from 'kysely';

export type SubmissionStatus = 'pending' | 'delivering' | 'delivered' | 'dead';

export interface SubmissionsTable {
  /** Also the reference written into the case, for reconciliation. */
  id: string;
  form_id: string;
  idempotency_key: string | null;
  fingerprint: string;
  /** JSON: the Deskie case to create and what the lookup needs. */
  payload: string;
  status: SubmissionStatus;
  attempts: number;
  uncertain: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  case_id: number | null;
  case_number: string | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface AttachmentsTable {
  submission_id: string;
  position: number;
  name: string;
  type: string;
  data: Uint8Array;
}

export interface OutboxDatabase {
  submissions: SubmissionsTable;
  attachments: AttachmentsTable;
}

export type Engine = 'sqlite' | 'postgres';

/** Creates the tables and indexes when missing (idempotent; safe from several instances). */
export async function migrate(db: Kysely<OutboxDatabase>, engine: Engine): Promise<void> {
  const bytes = engine === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('submissions')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uncertain', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('case_id', 'bigint')
    .addColumn('case_number', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addUniqueConstraint('submissions_idempotency', ['form_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('submissions_due')
    .ifNotExists()
    .on('submissions')
    .columns(['status', 'next_attempt_at', 'created_at'])
    .execute();
  await db.schema
    .createTable('attachments')
    .ifNotExists()
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', sql.raw(bytes), (c) => c.notNull())
    .addPrimaryKeyConstraint('attachments_pk', ['submission_id', 'position'])
    .execute();
}
