/**
 * The contract's part about a request once filed (contract.ts re-exports it; the widget imports
 * contract.ts alone): what a visitor sees of it — status, support's replies and their files — and
 * a signed-in customer's list of requests.
 */
import * as z from 'zod/mini';

// ── Status lookup (POST /v1/status) ──────────────────────────────────────────────────────────────

export const statusRequest = z.union([
  z.object({ token: z.string().check(z.minLength(1), z.maxLength(1024)), locale: z.optional(z.string()) }),
  z.object({
    caseNumber: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
    email: z.string().check(z.trim(), z.maxLength(254)),
    locale: z.optional(z.string()),
  }),
]);
export type StatusRequest = z.infer<typeof statusRequest>;

export const caseStatuses = ['open', 'waiting', 'closed'] as const;

/**
 * A file support attached to a reply. `url` is the backend's own address for it (a path under the
 * API, e.g. `/v1/forms/support/files/…`), good for an hour from the answer that gave it: a `GET`
 * downloads it; past the hour, `410 LINK_EXPIRED` (look the request up again for a fresh link).
 */
export const replyFile = z.object({ name: z.string(), size: z.number(), url: z.string() });
export type ReplyFile = z.infer<typeof replyFile>;

export const reply = z.object({
  author: z.literal('Support'),
  text: z.string(),
  createdAt: z.string(),
  /** Present when the reply has files. */
  attachments: z.optional(z.array(replyFile)),
});
export type Reply = z.infer<typeof reply>;

/** One message of the public conversation after the request: the customer's or support's. */
export const threadEntry = z.object({
  author: z.enum(['customer', 'support']),
  /** The customer's words as they wrote them (what the backend added for the agent is left out). */
  text: z.string(),
  createdAt: z.string(),
  /** Support's files, when it has any. */
  attachments: z.optional(z.array(replyFile)),
});
export type ThreadEntry = z.infer<typeof threadEntry>;

export const statusResponse = z.object({
  /** Absent while the request is queued (not yet in Deskie). */
  caseNumber: z.optional(z.string()),
  /** Our reference, for a request looked up by its token. */
  receipt: z.optional(z.string()),
  subject: z.string(),
  /** `queued`, or Deskie's status (`open`, `waiting`, `closed`; unknown future values pass through). */
  status: z.string(),
  /** The customer-facing words for it, in the requested locale. */
  statusLabel: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Public replies from support, oldest first; present only when the form shows them. */
  replies: z.optional(z.array(reply)),
  /** The public conversation after the request, oldest first: the visitor's replies and support's; with `replies`. */
  thread: z.optional(z.array(threadEntry)),
});
export type StatusResponse = z.infer<typeof statusResponse>;

// ── A signed-in customer's requests (POST /v1/forms/{id}/requests) ────────────────────────────────

export const requestsRequest = z.object({
  /** The identity the site signed (`data-user-token`). */
  identityToken: z.string().check(z.minLength(1), z.maxLength(4096)),
  /** 1 for the newest page. */
  page: z.optional(z.int().check(z.minimum(1), z.maximum(50))),
  locale: z.optional(z.string()),
});
export type RequestsRequest = z.infer<typeof requestsRequest>;

export const requestsResponse = z.object({
  /** Who the site says is signed in: the form fills and locks these. */
  customer: z.object({ email: z.string(), name: z.optional(z.string()) }),
  /** Newest first, from any device or channel: every case Deskie has for the customer's email. */
  requests: z.array(
    z.object({
      caseNumber: z.string(),
      subject: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
      /** Opens the request's status (POST …/status with `{"token"}`). */
      lookupToken: z.string(),
    }),
  ),
  page: z.number(),
  pageSize: z.number(),
  /** All the customer's requests, across pages. */
  total: z.number(),
});
export type RequestsResponse = z.infer<typeof requestsResponse>;

// ── A visitor's reply (POST /v1/forms/{id}/replies) ───────────────────────────────────────────────

const replyText = z.string().check(z.maxLength(20_000));

/**
 * The JSON body, or the `payload` part of a multipart body whose files are `attachments` parts (the
 * form's limits and types, as for a new request). Authorised as a lookup is: the lookup token, or
 * the case number and the email that filed it.
 */
export const replyRequest = z.union([
  z.object({ token: z.string().check(z.minLength(1), z.maxLength(1024)), text: replyText }),
  z.object({
    caseNumber: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
    email: z.string().check(z.trim(), z.maxLength(254)),
    text: replyText,
  }),
]);
export type ReplyRequest = z.infer<typeof replyRequest>;

/** 201 `sent`: the message is in the case. 202 `queued`: stored, it follows at Deskie's pace. */
export const replyResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent'), caseNumber: z.string() }),
  z.object({ status: z.literal('queued'), caseNumber: z.string(), receipt: z.string() }),
]);
export type ReplyResponse = z.infer<typeof replyResponse>;
