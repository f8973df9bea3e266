/**
 * What the outbox holds and what it offers. The payload is typed here and parsed once, where rows
 * leave the database (store.ts); nothing downstream reads JSON by hand.
 */
import type { Selectable } from 'kysely';
import * as z from 'zod';
import type { Engine, SubmissionStatus, SubmissionsTable } from '../db/schema';
import type { Upload } from '../deskie/client';
import { newCaseSchema } from '../deskie/schemas';

/** A visitor's reply to a case, as the outbox keeps it until Deskie has it. */
export const replyPayloadSchema = z.object({
  case_id: z.number().int(),
  case_number: z.string(),
  /** The case's customer: the message is theirs. */
  user_id: z.number().int(),
  /** The customer's email ('' when Deskie did not say): an erasure finds their replies by it. */
  user_email: z.string(),
  /** The visitor's text, and the reference line reconciliation finds the message by. */
  content: z.string(),
  /** Whether the case is set back to `open` first (it was waiting or closed when the reply came). */
  reopen: z.boolean(),
});
export type ReplyPayload = z.infer<typeof replyPayloadSchema>;

/**
 * What the outbox keeps of a submission until it is delivered: the case to create, or the message
 * to add to a case (a visitor's reply). Both wait, are delivered exactly once and die alike.
 */
export const payloadSchema = z.union([
  z.object({ case: newCaseSchema }),
  z.object({ reply: replyPayloadSchema }),
]);
export type Payload = z.infer<typeof payloadSchema>;

/** Whose it is: the requester's email, as an erasure and the operator's list know them. */
export const payloadEmail = (payload: Payload) =>
  'case' in payload ? payload.case.user_email : payload.reply.user_email;

/** What it is about, for the operator's list and a lookup of a queued request. */
export const payloadSubject = (payload: Payload) =>
  'case' in payload ? payload.case.subject : `Reply to ${payload.reply.case_number}`;

export type Submission = Omit<Selectable<SubmissionsTable>, 'uncertain' | 'payload'> & {
  uncertain: boolean;
  /** Null once retention or an erasure dropped it (`purged_at` says when). */
  payload: Payload | null;
};

export interface NewSubmission {
  id: string;
  formId: string;
  idempotencyKey: string | null;
  fingerprint: string;
  payload: Payload;
  now: number;
}

export interface OutboxStats {
  pending: number;
  dead: number;
  /** Dead letters an operator can still retry (retention has not dropped their payload). */
  deadRetryable: number;
  /** Accept time of the oldest undelivered submission, if any. */
  oldestPendingAt: number | null;
}

export interface OutboxStore {
  readonly engine: Engine;
  /** Stores a submission and its files at once; with a known idempotency key, returns the first one instead. */
  accept(submission: NewSubmission, files: Upload[]): Promise<{ row: Submission; created: boolean }>;
  get(id: string): Promise<Submission | undefined>;
  /** The submission stored under `key` for `formId`, if any. */
  byKey(formId: string, key: string): Promise<Submission | undefined>;
  /**
   * Leases the oldest due submission (or the one named `id`) to `owner` until `now + leaseMs`.
   * With `sending`, only one that cannot have reached Deskie yet (not uncertain), and marks it
   * sending in the same write (markSending's write-ahead): the fast path's one commit before
   * the send. The row comes back as written (uncertain, its attempt counted).
   */
  claim(
    owner: string,
    now: number,
    leaseMs: number,
    id?: string,
    sending?: boolean,
  ): Promise<Submission | undefined>;
  files(id: string): Promise<Upload[]>;
  /** Extends `owner`'s lease (a heartbeat while a delivery is in progress). */
  renew(id: string, owner: string, until: number): Promise<boolean>;
  /** Write-ahead: from here until a definite answer, the case may exist in Deskie. */
  markSending(id: string, owner: string): Promise<boolean>;
  markDelivered(id: string, owner: string, caseId: number, caseNumber: string, now: number): Promise<boolean>;
  /** Back to the queue for another attempt at `nextAt`. */
  reschedule(id: string, owner: string, nextAt: number, error: string, uncertain: boolean): Promise<boolean>;
  /**
   * Dead-letters `id` at `death.at`; with `death.notify`, a notice of it is owed to the owner's
   * webhook from then on (the row remembers it until the webhook accepts it or it is given up).
   */
  markDead(
    id: string,
    owner: string,
    error: string,
    death: { at: number; notify: boolean },
  ): Promise<boolean>;
  /** Returns every lease `owner` holds (graceful shutdown). */
  release(owner: string): Promise<number>;
  /**
   * At start-up: takes back the leases of a crashed run. SQLite is one process's file, so every
   * lease in it is stale; PostgreSQL is shared, so its leases are left to expire. A submission that
   * was mid-send is not looked for in Deskie before `reconcileAt` (it may still be under way there).
   */
  recover(reconcileAt: number): Promise<number>;
  /**
   * Puts a dead letter back in the queue; false when `id` is not dead. A notice of its death not
   * sent yet is dropped (the operator knows): only a new death is told again.
   */
  retry(id: string, now: number): Promise<boolean>;
  /** Dead letters whose notice is due at `now`, the longest-waiting first. */
  dueNotices(now: number, limit: number): Promise<Submission[]>;
  /**
   * Takes the notice of `id` (due at `dueAt`, as read) for one attempt, owing it again at
   * `retryAt` unless settled before: if the sender dies, the notice is tried again then. False
   * when another instance took it first.
   */
  claimNotice(id: string, dueAt: number, retryAt: number): Promise<boolean>;
  /**
   * Settles the notice of the death of `id` at `deadAt`: accepted by the webhook at `sentAt`, or
   * given up (`sentAt` null). A later death of the same row owes a notice of its own.
   */
  settleNotice(id: string, deadAt: number, sentAt: number | null): Promise<boolean>;
  /** When the earliest notice is due, if any is owed. */
  nextNoticeAt(): Promise<number | null>;
  list(filter: { status?: SubmissionStatus; limit?: number }): Promise<Submission[]>;
  stats(): Promise<OutboxStats>;
  /** The earliest time a pending submission becomes due, if any. */
  nextDueAt(): Promise<number | null>;
  /**
   * Retention: drops the payload and files of submissions delivered before `deliveredBefore` and
   * of dead letters accepted before `deadBefore`, keeping what lookups and idempotency need (the
   * row, its key and fingerprint, the case). Returns how many it purged.
   */
  purge(now: number, cutoffs: { deliveredBefore: number; deadBefore: number }): Promise<number>;
  /**
   * Erasure of one person's data: their queued and dead submissions are deleted with their files,
   * their delivered ones lose the payload. Those in the middle of a delivery are left, and named.
   */
  erase(email: string, now: number): Promise<Erased>;
  close(): Promise<void>;
}

/** What an erasure did, submission by submission. */
export interface Erased {
  deleted: Submission[];
  purged: Submission[];
  /** Being delivered right now: erase again once the delivery is over. */
  busy: Submission[];
}

/** Queued files kept outside the database, by submission id. */
export interface FileVault {
  put(id: string, files: Upload[]): Promise<void>;
  /** In the order they were put; empty when there are none. */
  get(id: string): Promise<Upload[]>;
  delete(id: string): Promise<void>;
}
