/**
 * The simulator's account: cases, messages, users and the account's settings, in memory. The
 * HTTP layer (app.ts) turns requests into calls here and results into Deskie's JSON shapes.
 */
import type { Clock, Random } from '../core/clock';
import { randomHex } from '../core/hash';
import type { CaseStatus, CustomFieldType } from '../deskie/schemas';

export interface SimFile {
  file_id: number;
  /** The unguessable part of the file's address: ids count up, so an id alone must open nothing. */
  key: string;
  file_name: string;
  mime_type: string;
  data: Uint8Array;
}

export interface SimCase {
  case_id: number;
  case_number: string;
  subject: string;
  user_id: number;
  staff_id: number;
  group_id: number;
  status: CaseStatus;
  priority: string;
  channel: string;
  recipient: string;
  deleted: boolean;
  spam: boolean;
  created_at: number;
  updated_at: number;
  language_id: number;
  custom_fields: Record<string, string | boolean>;
  labels: number[];
  attachments: SimFile[];
}

export interface SimMessage {
  message_id: number;
  case_id: number;
  user_id: number;
  staff_id: number;
  content: string;
  content_html: string;
  attachments: SimFile[];
  note: boolean;
  created_at: number;
}

export interface SimUser {
  user_id: number;
  user_full_name: string;
  user_email: string;
  /** The customer's id in the site that filed for them (`user_custom_id`); '' when none. */
  user_custom_id: string;
  language_id: number;
  active: boolean;
  deleted: boolean;
  created_at: number;
  updated_at: number;
  custom_fields: Record<string, string | boolean>;
}

export interface SimCustomField {
  field_id: number;
  title: string;
  field_type: CustomFieldType;
  field_level: 'case' | 'user';
  active: boolean;
  /** Option key → label, for selects only. */
  options?: Record<string, string>;
}

export interface SimStaff {
  staff_id: number;
  staff_email: string;
  staff_full_name: string;
  active: boolean;
}

export interface SimSeed {
  staff: SimStaff[];
  customFields: SimCustomField[];
  labels: { label_id: number; label_title: string }[];
  languages: { language_id: number; code: string; title: string; active: boolean }[];
  groups: { group_id: number; group_title: string; active: boolean }[];
}

/** What a new case needs once the HTTP layer has checked it. */
export interface CaseInput {
  user_email: string;
  user_full_name?: string;
  user_custom_id?: string;
  subject: string;
  content: string;
  content_html?: string;
  language_id?: number;
  group_id?: number;
  staff_id?: number;
  priority?: string;
  custom_fields: Record<string, string | boolean>;
  labels: number[];
  files: NewFile[];
}

/** A file as it arrives, before the account numbers it and gives it a key. */
export type NewFile = Omit<SimFile, 'file_id' | 'key'>;

/** The account's records and what new ones are numbered from; the functions below work on it. */
interface Account {
  seed: SimSeed;
  clock: Clock;
  random: Random;
  cases: SimCase[];
  messages: SimMessage[];
  users: SimUser[];
  files: Map<number, SimFile>;
  next: { case: number; message: number; user: number; file: number };
}

/** A case number shaped like Deskie's (`664-245651`), not yet taken in this account. */
function newCaseNumber(account: Account): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(account.random() * 10)).join('');
  const number = `${1 + Math.floor(account.random() * 9)}${digits(2)}-${digits(6)}`;
  return account.cases.some((c) => c.case_number === number) ? newCaseNumber(account) : number;
}

/** Keys come from crypto, not the account's seeded random: those repeat from run to run. */
function storeFiles(account: Account, list: NewFile[]): SimFile[] {
  return list.map((f) => {
    const file = { ...f, file_id: account.next.file++, key: randomHex(16) };
    account.files.set(file.file_id, file);
    return file;
  });
}

/** Deskie files a case from an unknown address under a new user; a known address is that user's. */
function findOrCreateUser(account: Account, input: CaseInput, languageId: number) {
  const email = input.user_email;
  const known = account.users.find((u) => u.user_email.toLowerCase() === email.toLowerCase());
  // A known user keeps the id first given; one without takes the case's.
  if (known && !known.user_custom_id && input.user_custom_id) known.user_custom_id = input.user_custom_id;
  if (known) return known;
  const now = account.clock.now();
  const user: SimUser = {
    user_id: account.next.user++,
    user_full_name: input.user_full_name ?? '',
    user_email: email,
    user_custom_id: input.user_custom_id ?? '',
    language_id: languageId,
    active: true,
    deleted: false,
    created_at: now,
    updated_at: now,
    custom_fields: {},
  };
  account.users.push(user);
  return user;
}

/** A message, its files stored as a case's are (numbered, each under a key of its own). */
function addMessage(
  account: Account,
  kase: SimCase,
  from: { user_id?: number; staff_id?: number },
  content: string,
  note = false,
  files: NewFile[] = [],
): SimMessage {
  const now = account.clock.now();
  const message: SimMessage = {
    message_id: account.next.message++,
    case_id: kase.case_id,
    user_id: from.user_id ?? 0,
    staff_id: from.staff_id ?? 0,
    content,
    content_html: content,
    attachments: storeFiles(account, files),
    note,
    created_at: now,
  };
  account.messages.push(message);
  kase.updated_at = now;
  return message;
}

/** A new open case with its first message; user-level custom fields go on the user, as in Deskie. */
function createCase(account: Account, input: CaseInput): SimCase {
  const { seed } = account;
  const now = account.clock.now();
  const languageId = input.language_id ?? seed.languages[0]?.language_id ?? 1;
  const caseFields: Record<string, string | boolean> = {};
  const user = findOrCreateUser(account, input, languageId);
  for (const [key, value] of Object.entries(input.custom_fields)) {
    const field = seed.customFields.find((f) => `cf_${f.field_id}` === key);
    if (field?.field_level === 'user') user.custom_fields[key] = value;
    else caseFields[key] = value;
  }
  const kase: SimCase = {
    case_id: account.next.case++,
    case_number: newCaseNumber(account),
    subject: input.subject,
    user_id: user.user_id,
    staff_id: input.staff_id ?? 0,
    group_id: input.group_id ?? 0,
    status: 'open',
    priority: input.priority ?? 'normal',
    channel: 'web',
    recipient: user.user_email,
    deleted: false,
    spam: false,
    created_at: now,
    updated_at: now,
    language_id: languageId,
    custom_fields: caseFields,
    labels: [...new Set(input.labels)],
    attachments: [],
  };
  account.cases.push(kase);
  const first = addMessage(account, kase, { user_id: user.user_id }, input.content, false, input.files);
  first.content_html = input.content_html ?? input.content;
  kase.attachments = first.attachments;
  return kase;
}

/** Creates an empty account with the given settings. */
export function createSimState(seed: SimSeed, clock: Clock, random: Random) {
  const account: Account = {
    seed,
    clock,
    random,
    cases: [],
    messages: [],
    users: [],
    files: new Map(),
    next: { case: 2000, message: 500, user: 100, file: 1 },
  };
  const { cases, messages, users, files } = account;

  return {
    seed,
    cases,
    messages,
    users,
    files,

    createCase: (input: CaseInput): SimCase => createCase(account, input),

    /** By id (digits) or by case number (contains `-`), as deskie-api.md §2.4 suggests. */
    findCase(ref: string): SimCase | undefined {
      const kase = ref.includes('-')
        ? cases.find((c) => c.case_number === ref)
        : cases.find((c) => c.case_id === Number(ref));
      return kase && !kase.deleted ? kase : undefined;
    },

    messagesOf(kase: SimCase): SimMessage[] {
      return messages.filter((m) => m.case_id === kase.case_id);
    },

    /** A message from the customer or (with `staff_id`) an agent's public reply, with its files. */
    addMessage: (
      kase: SimCase,
      from: { user_id?: number; staff_id?: number },
      content: string,
      files: NewFile[] = [],
    ) => addMessage(account, kase, from, content, false, files),

    /** An agent's internal note: listed among messages with `note: true`, never shown to customers. */
    addNote(kase: SimCase, staffId: number, content: string, files: NewFile[] = []): SimMessage {
      return addMessage(account, kase, { staff_id: staffId }, content, true, files);
    },

    touch(kase: SimCase) {
      kase.updated_at = clock.now();
    },

    /** Forgets every case, message, user and file (the settings stay). */
    reset() {
      cases.length = 0;
      messages.length = 0;
      users.length = 0;
      files.clear();
    },
  };
}

export type SimState = ReturnType<typeof createSimState>;
