/** The simulator's account endpoints: custom fields, labels, languages, groups, staff, users (deskie-api.md §4–§6). */
import { Hono } from 'hono';
import { deskieError, type SimEnv } from './env';
import { listJson, rfc2822, searchMatches, userJson } from './format';
import type { SimSeed, SimStaff } from './state';

export const accountRoutes = new Hono<SimEnv>();

accountRoutes.get('/custom_fields.json', (c) => {
  const fields = c.get('state').seed.customFields.map((f) => ({
    field_id: f.field_id,
    title: f.title,
    field_type: f.field_type,
    field_level: f.field_level,
    active: f.active,
    field_data: f.options ?? '',
  }));
  return c.json(listJson('custom_field', fields, c.req.query()));
});

accountRoutes.get('/labels.json', (c) =>
  c.json(listJson('label', c.get('state').seed.labels, c.req.query())),
);

accountRoutes.get('/languages.json', (c) =>
  c.json(listJson('language', c.get('state').seed.languages, c.req.query())),
);

const epoch = rfc2822(Date.UTC(2024, 0, 1));
const groupJson = (g: SimSeed['groups'][number]) => ({
  ...g,
  group_from_name: g.group_title,
  group_signature: '',
  created_at: epoch,
  updated_at: epoch,
});
const staffJson = (s: SimStaff) => ({
  ...s,
  staff_signature: '',
  staff_signature_chat: '',
  thumbnail: '',
  status_id: 1,
  created_at: epoch,
  updated_at: epoch,
});
const idOf = (param: string) => Number(param.replace(/\.json$/, ''));

accountRoutes.get('/groups.json', (c) =>
  c.json(listJson('group', c.get('state').seed.groups.map(groupJson), c.req.query())),
);

accountRoutes.get('/groups/:id{[0-9]+\\.json}', (c) => {
  const group = c.get('state').seed.groups.find((g) => g.group_id === idOf(c.req.param('id')));
  if (!group) return deskieError(c, 'group_not_found', 404);
  return c.json({ group: groupJson(group) });
});

accountRoutes.get('/staff.json', (c) =>
  c.json(listJson('staff', c.get('state').seed.staff.map(staffJson), c.req.query())),
);

accountRoutes.get('/staff/:id{[0-9]+\\.json}', (c) => {
  const staff = c.get('state').seed.staff.find((s) => s.staff_id === idOf(c.req.param('id')));
  if (!staff) return deskieError(c, 'staff_not_found', 404);
  return c.json({ staff: staffJson(staff) });
});

accountRoutes.get('/users.json', (c) => {
  const pattern = c.req.query('user_email');
  if (pattern !== undefined && pattern.replace(/\^/g, '').length < 4)
    return deskieError(c, 'search_string_too_short');
  const users = c
    .get('state')
    .users.filter((u) => !u.deleted && (pattern === undefined || searchMatches(pattern, u.user_email)));
  return c.json(listJson('user', users.map(userJson), c.req.query()));
});

accountRoutes.get('/users/:id{[0-9]+\\.json}', (c) => {
  const id = idOf(c.req.param('id'));
  const user = c.get('state').users.find((u) => u.user_id === id && !u.deleted);
  if (!user) return deskieError(c, 'user_not_found', 404);
  return c.json({ user: userJson(user) });
});
