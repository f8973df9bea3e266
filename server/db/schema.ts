/**
 * The outbox's tables as the code sees them once every migration (migrations.ts) has run, one
 * schema for every engine (SQLite embedded, PostgreSQL shared, D1 on Workers). Times are epoch
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
  /** When retention (or an erasure) dropped the payload and files; null while they are kept. */
  purged_at: number | null;
  /** When it was last dead-lettered; null if it never was (or died before this was recorded). */
  dead_at: number | null;
  /**
   * When the owner's webhook is next to be told of that death; null when nothing is owed (told,
   * given up, retried, or no webhook was configured when it died).
   */
  notify_at: number | null;
  /** Attempts at telling the webhook of the latest death. */
  notify_attempts: number;
  /** When the webhook accepted the notice of the latest death. */
  notified_at: number | null;
}

export interface AttachmentsTable {
  submission_id: string;
  position: number;
  name: string;
  type: string;
  data: Uint8Array;
}

/** Deskie calls of every instance sharing the account's budget (PostgreSQL). `at` null: in flight. */
export interface RateCallsTable {
  id: string;
  cost: number;
  at: number | null;
  /** When an in-flight call of a dead instance stops counting. */
  expires: number;
}

/** What the instances have learned from Deskie: the plan's limit, a pause after a 429. */
export interface RateStateTable {
  id: number;
  rpm: number | null;
  paused_until: number;
}

/** Per-address request counts shared by instances (the API's own rate limits, not Deskie's). */
export interface RateHitsTable {
  key: string;
  hits: number;
  reset_at: number;
}

export interface OutboxDatabase {
  submissions: SubmissionsTable;
  attachments: AttachmentsTable;
  rate_calls: RateCallsTable;
  rate_state: RateStateTable;
  rate_hits: RateHitsTable;
}

/**
 * `sqlite`: one process's file. `postgres`: shared by instances, with row locks. `d1`: Cloudflare's
 * SQLite, shared by every isolate of a Worker, one statement at a time and no transactions.
 */
export type Engine = 'sqlite' | 'postgres' | 'd1';

/** An open database of one engine, migrated to the latest schema (migrations.ts). */
export interface Database {
  db: Kysely<OutboxDatabase>;
  engine: Engine;
  close(): Promise<void>;
}

/** SQL's two-argument maximum in `engine`'s dialect. */
export const larger = (engine: Engine) => sql.raw(engine === 'postgres' ? 'greatest' : 'max');
