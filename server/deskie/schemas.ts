/**
 * Zod schemas of the Deskie resources this product reads (see deskie-api.md). Unknown fields are
 * stripped, not rejected: Deskie adds fields over time. A missing field we rely on is an error.
 */
import * as z from 'zod';

/** Deskie (PHP) serialises an empty object as `[]`: accept both for map-shaped fields. */
const phpMap = <T extends z.ZodType>(value: T) =>
  z.union([
    z.record(z.string(), value),
    z.array(z.never()).transform(() => ({}) as Record<string, z.infer<T>>),
  ]);

export const caseStatuses = ['open', 'waiting', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const casePriorities = ['low', 'normal', 'high', 'critical'] as const;
export type CasePriority = (typeof casePriorities)[number];

/** Fields of a new case (`POST /api/cases.json`), as this product sends them. */
export const newCaseSchema = z.object({
  user_email: z.string(),
  user_full_name: z.string().optional(),
  /** A signed-in customer's id in the owner's site (a verified identity's `sub`). */
  user_custom_id: z.string().optional(),
  subject: z.string(),
  content: z.string(),
  language_id: z.number().int().optional(),
  group_id: z.number().int().optional(),
  /** The agent the case is assigned to. */
  staff_id: z.number().int().optional(),
  priority: z.enum(casePriorities).optional(),
  labels: z.array(z.number().int()).optional(),
  custom_fields: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
});
export type NewCase = z.infer<typeof newCaseSchema>;

export const attachmentSchema = z.object({
  file_id: z.number(),
  file_name: z.string(),
  file_size: z.number(),
  mime_type: z.string(),
  url: z.string(),
});
export type DeskieAttachment = z.infer<typeof attachmentSchema>;

export const customFieldValue = z.union([z.string(), z.boolean(), z.number(), z.null()]);

export const caseSchema = z.object({
  case_id: z.number().int(),
  case_number: z.string(),
  subject: z.string(),
  user_id: z.number().int(),
  staff_id: z.number().int(),
  group_id: z.number().int(),
  // Kept open: a status Deskie adds later must not make every lookup fail.
  status: z.string(),
  priority: z.string(),
  channel: z.string(),
  recipient: z.string().optional(),
  deleted: z.boolean(),
  spam: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  language_id: z.number().int(),
  custom_fields: phpMap(customFieldValue),
  labels: z.array(z.number().int()),
  attachments: z.array(attachmentSchema).optional(),
});
export type DeskieCase = z.infer<typeof caseSchema>;

export const messageSchema = z.object({
  message_id: z.number().int(),
  user_id: z.number().int(),
  staff_id: z.number().int(),
  content: z.string(),
  content_html: z.string().optional(),
  attachments: z.array(attachmentSchema).default([]),
  note: z.boolean(),
  created_at: z.string(),
});
export type DeskieMessage = z.infer<typeof messageSchema>;

export const customFieldTypes = ['text', 'textarea', 'checkbox', 'select', 'date'] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

export const customFieldSchema = z.object({
  field_id: z.number().int(),
  title: z.string(),
  field_type: z.enum(customFieldTypes),
  field_level: z.string(),
  active: z.boolean(),
  // `""` for every type but select, where it maps option key → label.
  field_data: z.union([z.literal(''), phpMap(z.string())]),
});
export type DeskieCustomField = z.infer<typeof customFieldSchema>;

export const labelSchema = z.object({ label_id: z.number().int(), label_title: z.string() });
export type DeskieLabel = z.infer<typeof labelSchema>;

export const languageSchema = z.object({
  language_id: z.number().int(),
  code: z.string(),
  title: z.string(),
  active: z.boolean(),
});
export type DeskieLanguage = z.infer<typeof languageSchema>;

export const groupSchema = z.object({
  group_id: z.number().int(),
  group_title: z.string(),
  group_from_name: z.string(),
  group_signature: z.string(),
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type DeskieGroup = z.infer<typeof groupSchema>;

export const staffSchema = z.object({
  staff_id: z.number().int(),
  staff_email: z.string(),
  staff_full_name: z.string(),
  active: z.boolean(),
});
export type DeskieStaff = z.infer<typeof staffSchema>;

export const userSchema = z.object({
  user_id: z.number().int(),
  user_full_name: z.string(),
  user_email: z.string().optional(),
  language_id: z.number().int(),
  active: z.boolean(),
  deleted: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  custom_fields: phpMap(customFieldValue),
});
export type DeskieUser = z.infer<typeof userSchema>;

/** A page of a Deskie list: the items in key order plus the total across all pages. */
export interface DeskiePage<T> {
  items: T[];
  totalCount: number;
}

/**
 * Parses Deskie's list shape `{"0":{"case":{…}},…,"total_count":N}`. An empty page also arrives as
 * `{"case":[]}` without total_count (seen in 2016), or as `{"total_count":0}`: both mean no items.
 */
export function parseList<T extends z.ZodType>(body: unknown, root: string, item: T): DeskiePage<z.infer<T>> {
  const envelope = z.record(z.string(), z.unknown()).parse(body);
  const wrapped = z.object({ [root]: item });
  const keys = Object.keys(envelope)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b));
  const items = keys.map((key) => wrapped.parse(envelope[key])[root] as z.infer<T>);
  const total = envelope.total_count;
  const totalCount = total === undefined ? items.length : z.coerce.number().int().nonnegative().parse(total);
  return { items, totalCount };
}
