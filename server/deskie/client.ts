/**
 * A typed client for the parts of Deskie's REST API this product uses (deskie-api.md). Every call
 * goes through the account's rate governor (transport.ts: retries, errors). Anything that fails
 * surfaces as a DeskieError whose `ambiguous` flag tells the caller whether a write may have
 * happened anyway.
 */
import type * as z from 'zod';
import { downloadFile } from './files';
import type { RateGovernor, RatePermit } from './rate';
import {
  type CasePriority,
  type CaseStatus,
  caseSchema,
  customFieldSchema,
  type DeskieCase,
  type DeskieCustomField,
  type DeskieGroup,
  type DeskieLabel,
  type DeskieLanguage,
  type DeskieMessage,
  type DeskiePage,
  type DeskieStaff,
  type DeskieUser,
  groupSchema,
  labelSchema,
  languageSchema,
  messageSchema,
  type NewCase,
  parseList,
  staffSchema,
  userSchema,
} from './schemas';
import { type Call, createTransport, type Query } from './transport';

export interface DeskieClientOptions {
  /** The account's address, e.g. `https://acme.deskie.io` (the client appends `/api/…`). */
  baseUrl: string;
  /** The staff member's email: the Basic-auth user name. */
  staffEmail: string;
  /** The API key: the Basic-auth password. Never logged, never part of an error message. */
  apiKey: string;
  /** The account's rate governor (server/rate/): share one between clients of the same account. */
  governor: RateGovernor;
  /** Per-request timeout in ms. Default 15 000. */
  timeoutMs?: number;
  /** Attempts for a read that fails on the network or with a 5xx. Default 3. */
  readAttempts?: number;
  /** Attempts for any request Deskie throttled (429); the governor waits `retry_after` between them. Default 4. */
  throttledAttempts?: number;
  /** Base delay of the jittered exponential backoff between attempts, in ms. Default 250. */
  backoffMs?: number;
  /** Default: global fetch. */
  fetch?: typeof fetch;
  /**
   * Makes the signal that ends one attempt after `ms`; an attempt it aborts with a `TimeoutError`
   * DOMException fails as DESKIE_TIMEOUT. Default `AbortSignal.timeout`; tests pass one they fire.
   */
  timeoutSignal?: (ms: number) => AbortSignal;
}

/** A file to attach to a new case; sent as multipart. */
export interface Upload {
  name: string;
  type: string;
  data: Blob | Uint8Array;
}

export interface CaseFilters {
  /** Exact match by default (wrapped in `^…^`); pass `exact: false` for Deskie's substring search. */
  user_email?: string;
  user_id?: number | number[];
  subject?: string;
  status?: CaseStatus | CaseStatus[];
  group_id?: number | number[];
  staff_id?: number | number[];
  sort?: `${'updated_at' | 'created_at' | 'response' | 'priority' | 'status'}_${'asc' | 'desc'}`;
  page?: number;
  limit?: number;
  /** Created at or after this time (unix seconds). */
  from_time?: number;
  /** Whether `user_email` must match exactly. Default true. */
  exact?: boolean;
}

export interface CaseUpdate {
  subject?: string;
  status?: CaseStatus;
  priority?: CasePriority;
  staff_id?: number;
  group_id?: number;
  language_id?: number;
  custom_fields?: Record<string, string | boolean>;
  add_labels?: number[];
  delete_labels?: number[];
}

export interface DeskieClient {
  createCase(input: NewCase, files?: Upload[], options?: CreateOptions): Promise<DeskieCase>;
  /** By numeric id, or by case number (`664-245651`). */
  getCase(idOrNumber: number | string): Promise<DeskieCase>;
  listCases(filters?: CaseFilters): Promise<DeskiePage<DeskieCase>>;
  updateCase(caseId: number, patch: CaseUpdate): Promise<DeskieCase>;
  /** Replies and internal notes alike; `note: true` marks the internal ones. */
  listMessages(
    caseIdOrNumber: number | string,
    options?: { page?: number; limit?: number; order?: 'asc' | 'desc' },
  ): Promise<DeskiePage<DeskieMessage>>;
  /** A message from the case's customer (not an agent reply), with files as multipart. */
  createUserMessage(
    caseIdOrNumber: number | string,
    input: { user_id: number; content: string },
    files?: Upload[],
    options?: CreateOptions,
  ): Promise<DeskieMessage>;
  listCustomFields(): Promise<DeskieCustomField[]>;
  listLabels(): Promise<DeskieLabel[]>;
  listLanguages(): Promise<DeskieLanguage[]>;
  listGroups(): Promise<DeskieGroup[]>;
  listStaff(): Promise<DeskieStaff[]>;
  getUser(userId: number): Promise<DeskieUser>;
  /** Streams a file from the `url` an attachment carries (deskie/files.ts); `signal` ends it. */
  download(url: string, signal?: AbortSignal): Promise<Response>;
}

/** How one case creation is sent (the outbox delivers with these). */
export interface CreateOptions {
  /** Budget already reserved for this request (its first attempt). */
  permit?: RatePermit;
  /** Whether a throttled attempt is retried here. Default true; the outbox reschedules instead. */
  retryThrottled?: boolean;
}

/** The value under `root` of a decoded body (Deskie wraps single objects: `{"case":{…}}`). */
const field = (body: unknown, root: string): unknown =>
  body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[root] : undefined;

/**
 * Builds Deskie's bracket-named multipart body under `root`: `case[subject]`,
 * `case[custom_fields][cf_5]`, `case[attachments][1]`; `message[content]`, `message[attachments][1]`.
 */
function toBracketForm(root: 'case' | 'message', input: object, files: Upload[]): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'custom_fields') {
      for (const [field, v] of Object.entries(value as Record<string, string | boolean>))
        form.append(`${root}[custom_fields][${field}]`, typeof v === 'boolean' ? (v ? '1' : '0') : v);
    } else if (Array.isArray(value)) {
      for (const v of value) form.append(`${root}[${key}][]`, String(v));
    } else {
      form.append(`${root}[${key}]`, String(value));
    }
  }
  files.forEach((file, i) => {
    const blob =
      file.data instanceof Blob
        ? file.data
        : new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.type });
    form.append(`${root}[attachments][${i + 1}]`, blob, file.name);
  });
  return form;
}

/** Creates a client for one Deskie account. */
export function createDeskieClient(options: DeskieClientOptions): DeskieClient {
  const request = createTransport({
    timeoutMs: 15_000,
    readAttempts: 3,
    throttledAttempts: 4,
    backoffMs: 250,
    fetch: globalThis.fetch,
    timeoutSignal: (ms: number) => AbortSignal.timeout(ms),
    ...options,
  });

  const get = <T extends z.ZodType>(path: string, schema: T, root: string, query?: Query) =>
    request({ method: 'GET', path, query, parse: (body): z.infer<T> => schema.parse(field(body, root)) });

  const list = <T extends z.ZodType>(path: string, schema: T, root: string, query?: Query) =>
    request({
      method: 'GET',
      path,
      query,
      parse: (body): DeskiePage<z.infer<T>> => parseList(body, root, schema),
    });

  /** Fetches every page of a small collection (custom fields, labels, …). */
  const listAll = async <T extends z.ZodType>(path: string, schema: T, root: string) => {
    const all: z.infer<T>[] = [];
    for (let page = 1; ; page++) {
      const { items, totalCount } = await list(path, schema, root, { page, limit: 100 });
      all.push(...items);
      if (items.length === 0 || all.length >= totalCount) return all;
    }
  };

  const write = <T extends z.ZodType>(
    method: 'POST' | 'PUT',
    path: string,
    schema: T,
    root: string,
    body: Call<unknown>['body'],
    options: CreateOptions = {},
  ) => request({ method, path, body, ...options, parse: (b): z.infer<T> => schema.parse(field(b, root)) });

  const ref = (idOrNumber: number | string) => encodeURIComponent(String(idOrNumber));

  return {
    createCase: (input, files = [], options = {}) =>
      write(
        'POST',
        'cases.json',
        caseSchema,
        'case',
        files.length > 0 ? { form: toBracketForm('case', input, files) } : { json: { case: input } },
        options,
      ),
    getCase: (idOrNumber) => get(`cases/${ref(idOrNumber)}.json`, caseSchema, 'case'),
    listCases: ({ exact = true, user_email, ...filters } = {}) =>
      list('cases.json', caseSchema, 'case', {
        ...filters,
        user_email: user_email === undefined ? undefined : exact ? `^${user_email}^` : user_email,
      }),
    updateCase: (caseId, patch) =>
      write('PUT', `cases/${ref(caseId)}.json`, caseSchema, 'case', { json: { case: patch } }),
    listMessages: (caseIdOrNumber, query = {}) =>
      list(`cases/${ref(caseIdOrNumber)}/messages.json`, messageSchema, 'message', query),
    createUserMessage: (caseIdOrNumber, input, files = [], options = {}) =>
      write(
        'POST',
        `cases/${ref(caseIdOrNumber)}/messages.json`,
        messageSchema,
        'message',
        files.length > 0 ? { form: toBracketForm('message', input, files) } : { json: { message: input } },
        options,
      ),
    listCustomFields: () => listAll('custom_fields.json', customFieldSchema, 'custom_field'),
    listLabels: () => listAll('labels.json', labelSchema, 'label'),
    listLanguages: () => listAll('languages.json', languageSchema, 'language'),
    listGroups: () => listAll('groups.json', groupSchema, 'group'),
    listStaff: () => listAll('staff.json', staffSchema, 'staff'),
    getUser: (userId) => get(`users/${ref(userId)}.json`, userSchema, 'user'),
    download: (url, signal) =>
      downloadFile({ timeoutMs: 15_000, fetch: globalThis.fetch, ...options }, url, signal),
  };
}
