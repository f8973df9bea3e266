/**
 * The simulator answers in the shapes deskie-api.md documents: every field of each documented
 * example is present with the same JSON type (extra fields are allowed, as Deskie adds them too).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../helpers/serve';

const { sim, raw } = await startSimulator({ rpm: 100_000 });

// The examples of deskie-api.md §2.2, §3.1, §4, §5, §6.
const documented = {
  case: {
    case_id: 2000,
    case_number: '664-245651',
    subject: 'I need help',
    user_id: 123,
    staff_id: 22,
    group_id: 44,
    status: 'waiting',
    priority: 'normal',
    channel: 'web',
    recipient: 'user@domain.com',
    recipient_cc: '',
    recipient_bcc: '',
    deleted: false,
    spam: false,
    created_at: 'Mon, 05 May 2014 00:15:17 +0300',
    updated_at: 'Tue, 23 Dec 2014 10:55:23 +0200',
    language_id: 2,
    custom_fields: { cf_25: 'some text', cf_30: 'another field' },
    labels: [101, 102],
  },
  message: {
    message_id: 555,
    user_id: 123,
    staff_id: 0,
    content: 'text',
    content_html: '<p>text</p>',
    attachments: [],
    note: false,
    created_at: 'Mon, 05 May 2014 00:15:17 +0300',
  },
  custom_field: {
    field_id: 5,
    title: 'Order no.',
    field_type: 'text',
    field_level: 'case',
    active: true,
    field_data: '',
  },
  label: { label_id: 200, label_title: 'X' },
  language: { language_id: 1, code: 'РУС', title: 'Русский', active: true },
  group: {
    group_id: 1,
    group_title: 'g',
    group_from_name: 'g',
    group_signature: '',
    active: true,
    created_at: 'x',
    updated_at: 'x',
  },
  user: {
    user_id: 1,
    user_full_name: 'x',
    company_name: '',
    company_position: '',
    thumbnail: '',
    confirmed: true,
    active: true,
    deleted: false,
    created_at: 'x',
    updated_at: 'x',
    type: 'email',
    user_email: 'x',
    language_id: 1,
  },
} as const;

const RFC2822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** Every documented field is there with the documented JSON type. */
function expectShape(actual: Record<string, unknown>, example: Record<string, unknown>) {
  for (const [key, value] of Object.entries(example)) {
    expect(actual, `field ${key}`).toHaveProperty(key);
    expect(kind(actual[key]), `type of ${key}`).toBe(kind(value));
  }
}

/** Deskie's list shape: numeric-string keys "0".."n-1", each wrapping one item, plus total_count. */
function expectList(body: Record<string, unknown>, root: string) {
  expect(typeof body.total_count).toBe('number');
  const keys = Object.keys(body).filter((k) => k !== 'total_count');
  expect(keys).toEqual(keys.map((_, i) => String(i)));
  return keys.map((k) => {
    const entry = body[k] as Record<string, Record<string, unknown>>;
    expect(Object.keys(entry)).toEqual([root]);
    return entry[root] as Record<string, unknown>;
  });
}

let caseId = 0;
beforeAll(async () => {
  const created = await raw('/api/cases.json', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      case: {
        user_email: 'user@domain.com',
        user_full_name: "User's full name",
        subject: 'I need help',
        content: 'I need help',
        language_id: 2,
        custom_fields: { cf_5: 'some text', cf_6: 'another field' },
        labels: [101, 102],
      },
    }),
  });
  expect(created.status).toBe(201);
  caseId = ((await created.json()) as { case: { case_id: number } }).case.case_id;
  sim.state.addNote(sim.state.findCase(String(caseId))!, 1, 'internal');
});

describe('simulator JSON shapes match the documented examples', () => {
  it('POST /api/cases.json answers 201 {"case": Case}', async () => {
    const body = (await (await raw(`/api/cases/${caseId}.json`)).json()) as { case: Record<string, unknown> };
    expectShape(body.case, documented.case);
    expect(body.case.case_number).toMatch(/^\d{3}-\d{6}$/);
    expect(body.case.created_at).toMatch(RFC2822);
    expect(['open', 'waiting', 'closed']).toContain(body.case.status);
    expect(['low', 'normal', 'high', 'critical']).toContain(body.case.priority);
  });

  it('GET /api/cases.json is a numeric-key list with total_count', async () => {
    const items = expectList(await (await raw('/api/cases.json')).json(), 'case');
    expect(items).toHaveLength(1);
    expectShape(items[0]!, documented.case);
  });

  it('GET /api/cases/{id}/messages.json lists messages with the note flag', async () => {
    const items = expectList(await (await raw(`/api/cases/${caseId}/messages.json`)).json(), 'message');
    for (const item of items) expectShape(item, documented.message);
    expect(items.map((m) => m.note)).toEqual([false, true]);
  });

  it('GET /api/custom_fields.json: field_data is "" or an option map', async () => {
    const items = expectList(await (await raw('/api/custom_fields.json')).json(), 'custom_field');
    const { field_data: _, ...rest } = documented.custom_field;
    for (const item of items) {
      expectShape(item, rest);
      if (item.field_type === 'select') expect(kind(item.field_data)).toBe('object');
      else expect(item.field_data).toBe('');
    }
  });

  it.each([
    ['labels', 'label'],
    ['languages', 'language'],
    ['groups', 'group'],
  ] as const)('GET /api/%s.json lists %s objects', async (path, root) => {
    const items = expectList(await (await raw(`/api/${path}.json`)).json(), root);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expectShape(item, documented[root]);
  });

  it('GET /api/users/{id}.json is {"user": User}', async () => {
    const kase = sim.state.findCase(String(caseId))!;
    const body = (await (await raw(`/api/users/${kase.user_id}.json`)).json()) as {
      user: Record<string, unknown>;
    };
    expectShape(body.user, documented.user);
    expect(body.user.user_full_name).toBe("User's full name");
  });

  it('GET /api/staff.json lists staff; GET /api/users.json searches users by email', async () => {
    const staff = expectList(await (await raw('/api/staff.json')).json(), 'staff');
    expect(staff.map((s) => [s.staff_email, s.active])).toEqual([
      ['demo@example.com', true],
      ['former@example.com', false],
    ]);
    const users = expectList(
      await (await raw('/api/users.json?user_email=%5Euser@domain.com%5E')).json(),
      'user',
    );
    expect(users).toHaveLength(1);
    expectShape(users[0]!, documented.user);
    const none = await (await raw('/api/users.json?user_email=%5Eser@domain.com%5E')).json();
    expect(none).toEqual({ total_count: 0 });
  });

  it('an empty custom_fields object is serialised as [] the way PHP does', async () => {
    sim.state.createCase({
      user_email: 'x@example.com',
      subject: 's',
      content: 'c',
      custom_fields: {},
      labels: [],
      files: [],
    });
    const items = expectList(await (await raw('/api/cases.json?user_email=^x@example.com^')).json(), 'case');
    expect(items[0]?.custom_fields).toEqual([]);
  });
});
