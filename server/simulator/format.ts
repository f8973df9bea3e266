/** Deskie's wire shapes for the simulator's records (deskie-api.md §2–§5). */
import type { SimCase, SimFile, SimMessage, SimUser } from './state';

/** RFC 2822 date as Deskie writes it: `Mon, 05 May 2014 00:15:17 +0000`. */
export const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/**
 * Where a file is downloaded, under the simulator's base (its origin and the path it is served
 * at): the id as Deskie numbers it, the file's key, its name.
 */
export const fileUrl = (base: string, f: SimFile) =>
  `${base}/files/${f.file_id}/${f.key}/${encodeURIComponent(f.file_name)}`;

export const fileJson = (base: string) => (f: SimFile) => ({
  file_id: f.file_id,
  file_name: f.file_name,
  file_size: f.data.byteLength,
  mime_type: f.mime_type,
  url: fileUrl(base, f),
});

export const caseJson = (c: SimCase, base: string) => ({
  case_id: c.case_id,
  case_number: c.case_number,
  subject: c.subject,
  user_id: c.user_id,
  staff_id: c.staff_id,
  group_id: c.group_id,
  status: c.status,
  priority: c.priority,
  channel: c.channel,
  recipient: c.recipient,
  recipient_cc: '',
  recipient_bcc: '',
  deleted: c.deleted,
  spam: c.spam,
  created_at: rfc2822(c.created_at),
  updated_at: rfc2822(c.updated_at),
  language_id: c.language_id,
  // PHP serialises an empty associative array as [] — so does the simulator.
  custom_fields: Object.keys(c.custom_fields).length > 0 ? c.custom_fields : [],
  labels: c.labels,
  attachments: c.attachments.map(fileJson(base)),
});

export const messageJson = (m: SimMessage, base: string) => ({
  message_id: m.message_id,
  user_id: m.user_id,
  staff_id: m.staff_id,
  content: m.content,
  content_html: m.content_html,
  attachments: m.attachments.map(fileJson(base)),
  note: m.note,
  created_at: rfc2822(m.created_at),
});

export const userJson = (u: SimUser) => ({
  user_id: u.user_id,
  user_full_name: u.user_full_name,
  company_name: '',
  company_position: '',
  thumbnail: '',
  confirmed: true,
  active: u.active,
  deleted: u.deleted,
  created_at: rfc2822(u.created_at),
  updated_at: rfc2822(u.updated_at),
  type: 'email',
  user_email: u.user_email,
  ...(u.user_custom_id ? { user_custom_id: u.user_custom_id } : {}),
  language_id: u.language_id,
  custom_fields: Object.keys(u.custom_fields).length > 0 ? u.custom_fields : [],
});

/** A page of a list: `{"0":{root:item},…,"total_count":N}`, with `page`/`limit` applied (limit 1–100). */
export function listJson<T>(root: string, all: T[], query: { page?: string; limit?: string }) {
  const number = (raw: string | undefined, fallback: number) => {
    const n = Number.parseInt(raw ?? '', 10);
    return Number.isNaN(n) ? fallback : n;
  };
  const limit = Math.min(100, Math.max(1, number(query.limit, 100)));
  const page = Math.max(1, number(query.page, 1));
  const body: Record<string, unknown> = {};
  all.slice((page - 1) * limit, page * limit).forEach((item, i) => {
    body[String(i)] = { [root]: item };
  });
  body.total_count = all.length;
  return body;
}

/**
 * Deskie's search match: a substring by default; `^x^` exact, `^x` prefix, `x^` suffix
 * (deskie-api.md §9). Case-insensitive, as email and subject search are.
 */
export function searchMatches(pattern: string, value: string): boolean {
  const v = value.toLowerCase();
  let p = pattern.toLowerCase();
  const start = p.startsWith('^');
  const end = p.length > 1 && p.endsWith('^');
  p = p.slice(start ? 1 : 0, end ? -1 : undefined);
  if (start && end) return v === p;
  if (start) return v.startsWith(p);
  if (end) return v.endsWith(p);
  return v.includes(p);
}
