/**
 * Reads a case-create body — JSON `{"case":{…}}` or bracket-named multipart — into a checked
 * CaseInput, or names the Deskie error it earns. Deskie documents few error codes; the ones marked
 * (guess) are the simulator's, chosen so that our backend is held to sending valid data.
 */
import { MAX_FILE_BYTES, MAX_TOTAL_BYTES } from '../deskie/limits';
import type { CaseInput, NewFile, SimSeed } from './state';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof File);

/** Turns `case[custom_fields][cf_5]`-style form keys into nested objects (`[]` collects an array). */
export function unbracket(form: Record<string, unknown>): Raw {
  const root: Raw = {};
  for (const [name, value] of Object.entries(form)) {
    const head = /^[^[\]]+/.exec(name)?.[0];
    if (head === undefined) continue;
    const path = [head, ...[...name.slice(head.length).matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '')];
    const append = path.length > 1 && path.at(-1) === '';
    if (append) path.pop();
    const leaf = path.pop() ?? head;
    let node = root;
    for (const key of path) {
      if (!isRecord(node[key])) node[key] = {};
      node = node[key] as Raw;
    }
    node[leaf] = append ? [value].flat() : Array.isArray(value) ? value.at(-1) : value;
  }
  return root;
}

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const int = (v: unknown) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
};

/** A custom-field value in the shape its type takes, or undefined when it does not fit. */
function fieldValue(
  type: string,
  options: Record<string, string> | undefined,
  v: unknown,
): string | boolean | undefined {
  if (type === 'checkbox') {
    if (typeof v === 'boolean') return v;
    if (v === '1' || v === 'true' || v === 1) return true;
    if (v === '0' || v === 'false' || v === 0 || v === '') return false;
    return undefined;
  }
  const s = text(v);
  if (s === undefined) return undefined;
  if (type === 'select') return options && s in options ? s : undefined;
  if (type === 'date') return DATE.test(s) && !Number.isNaN(Date.parse(s)) ? s : undefined;
  return s;
}

/** Checks `custom_fields` against the account's definitions (shared by create and update). */
export function checkCustomFields(seed: SimSeed, raw: unknown): Checked<Record<string, string | boolean>> {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) return { ok: true, value: {} };
  if (!isRecord(raw)) return fail('incorrect_custom_field_value');
  const value: Record<string, string | boolean> = {};
  for (const [key, v] of Object.entries(raw)) {
    const field = seed.customFields.find((f) => `cf_${f.field_id}` === key);
    if (!field) return fail('custom_field_not_found');
    const checked = fieldValue(field.field_type, field.options, v);
    if (checked === undefined) return fail('incorrect_custom_field_value');
    value[key] = checked;
  }
  return { ok: true, value };
}

/** Checks label ids against the account's labels. */
export function checkLabels(seed: SimSeed, raw: unknown): Checked<number[]> {
  if (raw === undefined) return { ok: true, value: [] };
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? Object.values(raw) : [raw];
  const ids = list.map(int);
  if (ids.some((id) => id === undefined || !seed.labels.some((l) => l.label_id === id)))
    return fail('label_not_found');
  return { ok: true, value: ids as number[] };
}

/**
 * The files of a bracket-named form's `attachments` — numbered (`[1]`, `[2]` or from `[0]`) or
 * appended (`[]`, as Faraday sends them) — within Deskie's limits: 25 MB a file, 50 MB in all. The
 * same for a case and for a message.
 */
export async function checkFiles(raw: unknown): Promise<Checked<NewFile[]>> {
  const uploads = isRecord(raw) ? Object.values(raw) : Array.isArray(raw) ? raw : [];
  const files: NewFile[] = [];
  let total = 0;
  for (const f of uploads.flat()) {
    if (!(f instanceof File)) continue;
    if (f.size > MAX_FILE_BYTES) return fail('file_too_large');
    total += f.size;
    if (total > MAX_TOTAL_BYTES) return fail('files_too_large');
    files.push({
      file_name: f.name,
      mime_type: f.type || 'application/octet-stream',
      data: new Uint8Array(await f.arrayBuffer()),
    });
  }
  return { ok: true, value: files };
}

/** Checks the fields of a new case (`body` is the decoded JSON or the unbracketed form). */
export async function checkNewCase(seed: SimSeed, body: unknown): Promise<Checked<CaseInput>> {
  const c = isRecord(body) ? body.case : undefined;
  if (!isRecord(c)) return fail('incorrect_data');
  const email = text(c.user_email)?.trim();
  if (!email || !EMAIL.test(email)) return fail('incorrect_user_email');
  const subject = text(c.subject)?.trim();
  if (!subject) return fail('empty_subject');
  const html = text(c.content_html);
  const content = text(c.content) || html?.replace(/<[^>]*>/g, '');
  if (!content?.trim()) return fail('empty_content');

  const optionalId = (key: string) => (c[key] === undefined || c[key] === '' ? undefined : int(c[key]));
  const languageId = optionalId('language_id');
  if (c.language_id !== undefined && !seed.languages.some((l) => l.language_id === languageId))
    return fail('language_not_found');
  const groupId = optionalId('group_id');
  if (c.group_id !== undefined && groupId !== 0 && !seed.groups.some((g) => g.group_id === groupId))
    return fail('group_not_found');
  const staffId = optionalId('staff_id');
  if (c.staff_id !== undefined && staffId !== 0 && !seed.staff.some((s) => s.staff_id === staffId))
    return fail('staff_not_found');
  const priority = text(c.priority);
  if (priority !== undefined && !['low', 'normal', 'high', 'critical'].includes(priority))
    return fail('incorrect_priority');
  const fields = checkCustomFields(seed, c.custom_fields);
  if (!fields.ok) return fields;
  const labels = checkLabels(seed, c.labels);
  if (!labels.ok) return labels;

  const files = await checkFiles(c.attachments);
  if (!files.ok) return files;

  return {
    ok: true,
    value: {
      user_email: email,
      user_full_name: text(c.user_full_name),
      user_custom_id: text(c.user_custom_id)?.trim() || undefined,
      subject,
      content,
      content_html: html,
      language_id: languageId,
      group_id: groupId,
      staff_id: staffId,
      priority,
      custom_fields: fields.value,
      labels: labels.value,
      files: files.value,
    },
  };
}
