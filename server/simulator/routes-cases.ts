/** The simulator's case and message endpoints (deskie-api.md §2–§3). */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_TOTAL_BYTES } from '../deskie/limits';
import { checkCustomFields, checkFiles, checkLabels, checkNewCase, unbracket } from './case-input';
import { deskieError, type SimEnv } from './env';
import { caseJson, listJson, messageJson, searchMatches } from './format';
import type { SimCase } from './state';

type C = Context<SimEnv>;
/** Where the simulator is served — its files' addresses start there (`/_deskie` in the demo). */
const base = (c: C) => {
  const url = new URL(c.req.url);
  return url.origin + url.pathname.slice(0, url.pathname.indexOf('/api/'));
};
const ref = (param: string | undefined) => (param ?? '').replace(/\.json$/, '');

/** The decoded body: JSON, or a bracket-named multipart form. Undefined when unreadable. */
async function readBody(c: C): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded'))
    return unbracket(await c.req.parseBody({ all: true }).catch(() => ({})));
  return c.req.json().catch(() => undefined);
}

/** Values of a filter given as `key=v` or PHP-style `key[]=v1&key[]=v2`. */
const many = (c: C, key: string) => [...(c.req.queries(`${key}[]`) ?? []), ...(c.req.queries(key) ?? [])];

const SORTS: Record<string, (a: SimCase, b: SimCase) => number> = {
  created_at: (a, b) => a.created_at - b.created_at || a.case_id - b.case_id,
  updated_at: (a, b) => a.updated_at - b.updated_at || a.case_id - b.case_id,
  response: (a, b) => a.updated_at - b.updated_at || a.case_id - b.case_id,
  priority: (a, b) =>
    ['low', 'normal', 'high', 'critical'].indexOf(a.priority) -
    ['low', 'normal', 'high', 'critical'].indexOf(b.priority),
  status: (a, b) => a.status.localeCompare(b.status),
};

/** Unix seconds or `YYYY-MM-DD`, as the date filters take them. */
const timeOf = (v: string) => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));

/** Attachments may total 50 MB; allow the multipart framing on top, refuse anything bigger early. */
const filesLimit = bodyLimit({
  maxSize: MAX_TOTAL_BYTES + 1024 * 1024,
  onError: (c) => c.json({ error: 'files_too_large' }, 413),
});

export const caseRoutes = new Hono<SimEnv>();

caseRoutes.get('/cases.json', (c) => {
  const state = c.get('state');
  let found = state.cases.filter((k) => !k.deleted && !k.spam);
  for (const key of ['user_email', 'subject']) {
    const pattern = c.req.query(key);
    if (pattern === undefined) continue;
    if (pattern.replace(/\^/g, '').length < 4) return deskieError(c, 'search_string_too_short');
    found = found.filter((k) =>
      searchMatches(
        pattern,
        key === 'subject' ? k.subject : (state.users.find((u) => u.user_id === k.user_id)?.user_email ?? ''),
      ),
    );
  }
  for (const key of ['user_id', 'staff_id', 'group_id'] as const) {
    const ids = many(c, key).map(Number);
    if (ids.length > 0) found = found.filter((k) => ids.includes(k[key]));
  }
  for (const key of ['status', 'priority', 'channel'] as const) {
    const values = many(c, key);
    if (values.length > 0) found = found.filter((k) => values.includes(k[key]));
  }
  const labels = many(c, 'labels').map(Number);
  if (labels.length > 0) found = found.filter((k) => k.labels.some((l) => labels.includes(l)));
  for (const field of state.seed.customFields) {
    const wanted = c.req.query(`custom_fields[cf_${field.field_id}]`);
    if (wanted === undefined) continue;
    found = found.filter((k) => {
      const value = k.custom_fields[`cf_${field.field_id}`];
      if (field.field_type === 'checkbox') return (value === true) === ['1', 'true'].includes(wanted);
      if (field.field_type === 'select' || field.field_type === 'date') return value === wanted;
      return typeof value === 'string' && searchMatches(wanted, value);
    });
  }
  const from = c.req.query('from_time');
  if (from) found = found.filter((k) => k.created_at >= timeOf(from));
  const to = c.req.query('to_time');
  if (to) found = found.filter((k) => k.created_at <= timeOf(to));
  const sort = c.req.query('sort') ?? 'created_at_desc';
  const [, field = '', direction] = /^(\w+?)_(asc|desc)$/.exec(sort) ?? [];
  const compare = SORTS[field];
  if (!compare) return deskieError(c, 'incorrect_sort');
  found = [...found].sort(compare);
  if (direction === 'desc') found.reverse();
  return c.json(
    listJson(
      'case',
      found.map((k) => caseJson(k, base(c))),
      c.req.query(),
    ),
  );
});

caseRoutes.post('/cases.json', filesLimit, async (c) => {
  const state = c.get('state');
  const checked = await checkNewCase(state.seed, await readBody(c));
  if (!checked.ok) return deskieError(c, checked.error);
  return c.json({ case: caseJson(state.createCase(checked.value), base(c)) }, 201);
});

caseRoutes.get('/cases/:ref{[0-9-]+\\.json}', (c) => {
  const kase = c.get('state').findCase(ref(c.req.param('ref')));
  if (!kase) return deskieError(c, 'case_not_found', 404);
  return c.json({ case: caseJson(kase, base(c)) });
});

caseRoutes.put('/cases/:ref{[0-9-]+\\.json}', async (c) => {
  const state = c.get('state');
  const kase = state.findCase(ref(c.req.param('ref')));
  if (!kase) return deskieError(c, 'case_not_found', 404);
  const body = (await readBody(c)) as { case?: Record<string, unknown> } | undefined;
  const patch = body?.case;
  if (!patch || typeof patch !== 'object') return deskieError(c, 'incorrect_data');
  const { seed } = state;
  if (patch.status !== undefined && !['open', 'waiting', 'closed'].includes(String(patch.status)))
    return deskieError(c, 'incorrect_status');
  if (patch.priority !== undefined && !['low', 'normal', 'high', 'critical'].includes(String(patch.priority)))
    return deskieError(c, 'incorrect_priority');
  if (patch.staff_id !== undefined && Number(patch.staff_id) !== 0) {
    const staff = seed.staff.find((s) => s.staff_id === Number(patch.staff_id));
    if (!staff?.active) return deskieError(c, 'staff_has_not_access');
  }
  if (
    patch.group_id !== undefined &&
    Number(patch.group_id) !== 0 &&
    !seed.groups.some((g) => g.group_id === Number(patch.group_id))
  )
    return deskieError(c, 'group_not_found');
  if (
    patch.language_id !== undefined &&
    !seed.languages.some((l) => l.language_id === Number(patch.language_id))
  )
    return deskieError(c, 'language_not_found');
  const fields = checkCustomFields(seed, patch.custom_fields);
  if (!fields.ok) return deskieError(c, fields.error);
  const add = checkLabels(seed, patch.add_labels);
  if (!add.ok) return deskieError(c, add.error);
  const remove = checkLabels(seed, patch.delete_labels);
  if (!remove.ok) return deskieError(c, remove.error);

  if (typeof patch.subject === 'string' && patch.subject.trim()) kase.subject = patch.subject.trim();
  if (patch.status !== undefined) kase.status = String(patch.status) as SimCase['status'];
  if (patch.priority !== undefined) kase.priority = String(patch.priority);
  if (patch.staff_id !== undefined) kase.staff_id = Number(patch.staff_id);
  if (patch.group_id !== undefined) kase.group_id = Number(patch.group_id);
  if (patch.language_id !== undefined) kase.language_id = Number(patch.language_id);
  Object.assign(kase.custom_fields, fields.value);
  kase.labels = [...new Set([...kase.labels, ...add.value])].filter((l) => !remove.value.includes(l));
  state.touch(kase);
  return c.json({ case: caseJson(kase, base(c)) });
});

caseRoutes.get('/cases/:ref{[0-9-]+}/messages.json', (c) => {
  const state = c.get('state');
  const kase = state.findCase(ref(c.req.param('ref')));
  if (!kase) return deskieError(c, 'case_not_found', 404);
  const all = state.messagesOf(kase).map((m) => messageJson(m, base(c)));
  if (c.req.query('order') === 'desc') all.reverse();
  // Without page or limit Deskie returns the *last* 100 messages.
  const paged = c.req.query('page') !== undefined || c.req.query('limit') !== undefined;
  const shown = paged || c.req.query('order') === 'desc' ? all : all.slice(-100);
  const body = listJson('message', shown, c.req.query());
  body.total_count = all.length;
  return c.json(body);
});

/**
 * A customer message (`user_id`) or an agent reply (`staff_id`); `note` makes it internal. Files
 * come as multipart `message[attachments][n]` or `message[attachments][]`, with a case's limits.
 */
async function addMessage(c: C, note: boolean) {
  const state = c.get('state');
  const kase = state.findCase(ref(c.req.param('ref')));
  if (!kase) return deskieError(c, 'case_not_found', 404);
  const body = (await readBody(c)) as Record<string, Record<string, unknown> | undefined> | undefined;
  const m = body?.message ?? (note ? body?.note : undefined);
  if (!m || typeof m !== 'object') return deskieError(c, 'incorrect_data');
  const content = String(m.content ?? m.content_html ?? '').trim();
  if (!content) return deskieError(c, 'empty_content');
  const files = await checkFiles(m.attachments);
  if (!files.ok) return deskieError(c, files.error);
  if (m.staff_id !== undefined || note) {
    const staff = state.seed.staff.find((s) => s.staff_id === Number(m.staff_id ?? c.get('staffId')));
    if (!staff?.active) return deskieError(c, 'staff_not_active');
    const message = note
      ? state.addNote(kase, staff.staff_id, content, files.value)
      : state.addMessage(kase, { staff_id: staff.staff_id }, content, files.value);
    return c.json({ message: messageJson(message, base(c)) }, 201);
  }
  const user = state.users.find((u) => u.user_id === Number(m.user_id));
  if (!user) return deskieError(c, 'user_not_found', 404);
  // Whether a customer message reopens the case is undocumented (deskie-api.md §11.8): here it is
  // added whatever the status, and changes none (docs/simulator.md).
  const message = state.addMessage(kase, { user_id: user.user_id }, content, files.value);
  return c.json({ message: messageJson(message, base(c)) }, 201);
}

caseRoutes.post('/cases/:ref{[0-9-]+}/messages.json', filesLimit, (c) => addMessage(c, false));
caseRoutes.post('/cases/:ref{[0-9-]+}/note.json', filesLimit, (c) => addMessage(c, true));
