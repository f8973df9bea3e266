/**
 * The one contract shared by the widget and the server: the form definition, the submission, the
 * responses and every error, as zod/mini schemas. The widget bundles this file, so it imports only
 * zod/mini and the form's rules (rules.ts) and stays small. The same `validateValues` runs in the
 * browser and on the server.
 */
import * as z from 'zod/mini';
import { attachmentPolicy, condition, consentRule, hiddenField, requestType } from './contract-rules';
import { compileRules, type FieldType, fieldTypes, type Rule, type RuleForm } from './rules';

export {
  type AttachmentPolicy,
  attachmentPolicy,
  condition,
  consentRule,
  type HiddenField,
  hiddenField,
  type RequestType,
  requestType,
} from './contract-rules';
export { type Condition, type FieldType, fieldTypes } from './rules';

// ── Errors ────────────────────────────────────────────────────────────────────────────────────────

/** Every machine-readable error code the API returns, with its HTTP status. Stable: clients switch on them. */
export const errorStatus = {
  BAD_REQUEST: 400,
  FORM_TOKEN_INVALID: 400,
  CAPTCHA_FAILED: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  IDENTITY_INVALID: 401,
  IDENTITY_EXPIRED: 401,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  FORM_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  IDEMPOTENCY_KEY_REUSED: 409,
  CASE_CLOSED: 409,
  CASE_PENDING: 409,
  LINK_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  ATTACHMENT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ATTACHMENT_TYPE_NOT_ALLOWED: 415,
  VALIDATION_FAILED: 422,
  TOO_MANY_ATTACHMENTS: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  DESKIE_UNAVAILABLE: 503,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

/** Why one field was refused; the widget shows its own localized text for each. */
export const fieldErrorCodes = [
  'REQUIRED',
  'TOO_LONG',
  'INVALID_EMAIL',
  'INVALID_OPTION',
  'INVALID_DATE',
  'INVALID_TYPE',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

/** The body of every error response: `{ "error": { "code", "message", "fields"?, "retryAfter"? } }`. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    /** Field key → why it was refused (VALIDATION_FAILED). */
    fields: z.optional(z.record(z.string(), z.enum(fieldErrorCodes))),
    /** Seconds to wait before trying again (RATE_LIMITED, DESKIE_UNAVAILABLE). */
    retryAfter: z.optional(z.number()),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

// ── Form definition (GET /v1/forms/{id}) ─────────────────────────────────────────────────────────

export const publicField = z.object({
  /** `name`, `email`, `subject`, `message`, or a Deskie custom field `cf_<id>`. */
  key: z.string(),
  type: z.enum(fieldTypes),
  label: z.string(),
  help: z.optional(z.string()),
  placeholder: z.optional(z.string()),
  required: z.boolean(),
  maxLength: z.optional(z.number()),
  /** For selects: the allowed values, in display order. */
  options: z.optional(z.array(z.object({ value: z.string(), label: z.string() }))),
  /** Shown (and required) only while this holds; a field not shown sends nothing. */
  showIf: z.optional(condition),
});
export type PublicField = z.infer<typeof publicField>;

export const publicForm = z.object({
  id: z.string(),
  locale: z.string(),
  dir: z.enum(['ltr', 'rtl']),
  title: z.string(),
  intro: z.optional(z.string()),
  fields: z.array(publicField),
  /** null when the form takes no files. */
  attachments: z.nullable(attachmentPolicy),
  /** Name of the hidden field people leave empty and bots fill in. */
  honeypot: z.string(),
  /** A challenge the visitor passes before sending; `script` replaces the provider's own script URL. */
  captcha: z.optional(
    z.object({
      provider: z.enum(['turnstile', 'hcaptcha']),
      siteKey: z.string(),
      script: z.optional(z.string()),
    }),
  ),
  showReplies: z.boolean(),
  /** "What is it about?": the first choice, sent as `type`. Absent: one kind of request. */
  types: z.optional(
    z.object({ label: z.string(), help: z.optional(z.string()), options: z.array(requestType) }),
  ),
  /** Values the page may set; any other is not taken. */
  hidden: z.optional(z.array(hiddenField)),
  consent: z.optional(consentRule),
  /**
   * Sends sooner than this after the form token was issued count as a bot's (and get a fake
   * success). The widget waits out the rest, so a quick person's request is never dropped.
   */
  minFillSeconds: z.optional(z.number()),
});
export type PublicForm = z.infer<typeof publicForm>;

export const formResponse = z.object({
  form: publicForm,
  /** Signed issue time, sent back with the submission (spam checks). Also in the `Form-Token` header. */
  formToken: z.string(),
});
export type FormResponse = z.infer<typeof formResponse>;

// ── Submission (POST /v1/forms/{id}/submissions) ─────────────────────────────────────────────────

/** What the page the form sits on tells about itself; which parts reach the case is configurable. */
export const submissionContext = z.object({
  pageUrl: z.optional(z.string().check(z.maxLength(2048))),
  referrer: z.optional(z.string().check(z.maxLength(2048))),
  locale: z.optional(z.string().check(z.maxLength(35))),
  /** What the page adds (the widget's `context` option), e.g. `{ "plan": "gold" }`: at most 20 entries. */
  extra: z.optional(
    z
      .record(z.string().check(z.regex(/^[\w.-]{1,40}$/)), z.string().check(z.maxLength(500)))
      .check(z.refine((r) => Object.keys(r).length <= 20, 'At most 20 context entries.')),
  ),
});

/** The JSON body, or the `payload` part of a multipart body whose files are `attachments` parts. */
export const submissionBody = z.object({
  values: z.record(z.string(), z.union([z.string(), z.boolean()])),
  formToken: z.string().check(z.maxLength(512)),
  locale: z.optional(z.string().check(z.maxLength(35))),
  context: z.optional(submissionContext),
  captchaToken: z.optional(z.string().check(z.maxLength(4096))),
  /**
   * A signed-in customer's identity, signed by the site's server (`data-user-token`). Its email and
   * name replace what the form says; a token that fails the check is refused, never ignored.
   */
  identityToken: z.optional(z.string().check(z.maxLength(4096))),
});
export type SubmissionBody = z.infer<typeof submissionBody>;

/** 201: Deskie created the case. */
export const submissionCreated = z.object({
  status: z.literal('created'),
  caseNumber: z.string(),
  /** A capability to look the request up later: keep it, show nobody. */
  lookupToken: z.string(),
});
/** 202: received and stored; it reaches Deskie as soon as Deskie's rate limit (or health) allows. */
export const submissionQueued = z.object({
  status: z.literal('queued'),
  /** Our reference for the request until it has a case number. */
  receipt: z.string(),
  lookupToken: z.string(),
});
/** Clients switch on `status`. */
export const submissionResponse = z.discriminatedUnion('status', [submissionCreated, submissionQueued]);
export type SubmissionResponse = z.infer<typeof submissionResponse>;

// ── A request's status, its replies and a customer's requests: contract-conversation.ts ──────────

export * from './contract-conversation';

// ── Validation shared by widget and server ───────────────────────────────────────────────────────

const DEFAULT_MAX_LENGTH: Record<FieldType, number> = {
  text: 200,
  email: 254,
  textarea: 20_000,
  date: 10,
  select: 200,
  checkbox: 0,
};

/** The schema a present (non-blank) value of this field must satisfy; its issue message is the code. */
function valueSchema(field: Rule): z.ZodMiniType<string | boolean> {
  const max = field.maxLength ?? DEFAULT_MAX_LENGTH[field.type];
  switch (field.type) {
    case 'checkbox':
      return z.boolean('INVALID_TYPE');
    case 'email':
      return z.string('INVALID_TYPE').check(z.maxLength(max, 'TOO_LONG'), z.email('INVALID_EMAIL'));
    case 'date':
      return z.string('INVALID_TYPE').check(z.iso.date('INVALID_DATE'));
    case 'select':
      return z
        .string('INVALID_TYPE')
        .check(z.refine((v) => (field.options ?? []).some((o) => o.value === v), 'INVALID_OPTION'));
    default:
      return z.string('INVALID_TYPE').check(z.maxLength(max, 'TOO_LONG'));
  }
}

export type ValidValues = Record<string, string | boolean>;
export type Validation =
  | { ok: true; values: ValidValues }
  | { ok: false; fields: Record<string, FieldErrorCode> };

/** What validation reads of a form: its fields, request types, hidden values and consent. */
export type ValidatedForm = RuleForm<PublicField>;

/**
 * Compiles a form's rules once: the one rule set the widget runs before sending and the server
 * runs on receipt. Only the answers that apply count (server/rules.ts: the type, the fields shown,
 * hidden values, consent); keys of no such answer are dropped. Strings are trimmed; blank optional
 * fields are left out. A required checkbox must be ticked.
 */
export function createValidator(form: ValidatedForm): (values: Record<string, unknown>) => Validation {
  const rules = compileRules(form);
  const schemas = new Map(rules.all.map((rule) => [rule, valueSchema(rule)]));
  return (values) => {
    const valid: ValidValues = {};
    const fields: Record<string, FieldErrorCode> = {};
    for (const field of rules.applicable(values)) {
      const schema = schemas.get(field) ?? valueSchema(field);
      const raw = Object.hasOwn(values, field.key) ? values[field.key] : undefined;
      const value = typeof raw === 'string' ? raw.trim() : raw;
      const blank =
        value === undefined ||
        value === null ||
        value === '' ||
        (field.type === 'checkbox' && value === false);
      if (blank) {
        if (field.required) fields[field.key] = 'REQUIRED';
        else if (field.type === 'checkbox' && value === false) valid[field.key] = false;
        continue;
      }
      const result = schema.safeParse(value);
      if (result.success) valid[field.key] = result.data;
      else fields[field.key] = (result.error.issues[0]?.message ?? 'INVALID_TYPE') as FieldErrorCode;
    }
    return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, values: valid };
  };
}

/** `createValidator(form)(values)`, for a single check. */
export const validateValues = (form: ValidatedForm, values: Record<string, unknown>): Validation =>
  createValidator(form)(values);
