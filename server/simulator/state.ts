/**
 * The simulator's account: cases, messages, users and the account's settings, in memory. The
 * HTTP layer (app.ts) turns requests into calls here and results into Deskie's JSON shapes.
 */
import type { Clock, Random } from '../core/clock';
import type { CaseStatus, CustomFieldType } from '../deskie/schemas';

export interface SimFile {
  file_id: number;
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
  subject: string;
  content: string;
  content_html?: string;
  language_id?: number;
  group_id?: number;
  staff_id?: number;
  priority?: string;
  custom_fields: Record<string, string | boolean>;
  labels: number[];
  files: Omit<SimFile, 'file_id'>[];
}

/** Creates an empty account with the given settings. */
export function createSimState(seed: SimSeed, clock: Clock, random: Random) {
  const cases: SimCase[] = [];
  const messages: SimMessage[] = [];
  const users: SimUser[] = [];
  const files = new Map<number, SimFile>();
  let nextCaseId = 2000;
  let nextMessageId = 500;
  let nextUserId = 100;
  let nextFileId = 1;

  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const newCaseNumber = (): string => {
    const number = `${1 + Math.floor(random() * 9)}${digits(2)}-${digits(6)}`;
    return cases.some((c) => c.case_number === number) ? newCaseNumber() : number;
  };
  const storeFiles = (list: Omit<SimFile, 'file_id'>[]) =>
    list.map((f) => {
      const file = { ...f, file_id: nextFileId++ };
      files.set(file.file_id, file);
      return file;
    });

  const findOrCreateUser = (email: string, name: string | undefined, languageId: number): SimUser => {
    const known = users.find((u) => u.user_email.toLowerCase() === email.toLowerCase());
    if (known) return known;
    const now = clock.now();
    const user: SimUser = {
      user_id: nextUserId++,
      user_full_name: name ?? '',
      user_email: email,
      language_id: languageId,
      active: true,
      deleted: false,
      created_at: now,
      updated_at: now,
      custom_fields: {},
    };
    users.push(user);
    return user;
  };

  const addMessage = (
    kase: SimCase,
    from: { user_id?: number; staff_id?: number },
    content: string,
    note = false,
  ) => {
    const now = clock.now();
    const message: SimMessage = {
      message_id: nextMessageId++,
      case_id: kase.case_id,
      user_id: from.user_id ?? 0,
      staff_id: from.staff_id ?? 0,
      content,
      content_html: content,
      attachments: [],
      note,
      created_at: now,
    };
    messages.push(message);
    kase.updated_at = now;
    return message;
  };

  return {
    seed,
    cases,
    messages,
    users,
    files,

    createCase(input: CaseInput): SimCase {
      const now = clock.now();
      const languageId = input.language_id ?? seed.languages[0]?.language_id ?? 1;
      const caseFields: Record<string, string | boolean> = {};
      const user = findOrCreateUser(input.user_email, input.user_full_name, languageId);
      for (const [key, value] of Object.entries(input.custom_fields)) {
        const field = seed.customFields.find((f) => `cf_${f.field_id}` === key);
        if (field?.field_level === 'user') user.custom_fields[key] = value;
        else caseFields[key] = value;
      }
      const attachments = storeFiles(input.files);
      const kase: SimCase = {
        case_id: nextCaseId++,
        case_number: newCaseNumber(),
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
        attachments,
      };
      cases.push(kase);
      const first = addMessage(kase, { user_id: user.user_id }, input.content);
      first.content_html = input.content_html ?? input.content;
      first.attachments = attachments;
      return kase;
    },

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

    /** A message from the customer or (with `staff_id`) an agent's public reply. */
    addMessage,

    /** An agent's internal note: listed among messages with `note: true`, never shown to customers. */
    addNote(kase: SimCase, staffId: number, content: string): SimMessage {
      return addMessage(kase, { staff_id: staffId }, content, true);
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
