import { beforeEach, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../../server/runtimes/node-fetch';
import { startSimulator } from '../../helpers/serve';

const { sim, client: makeClient } = await startSimulator({ rpm: 100_000 });

beforeEach(() => sim.state.reset());

const newCase = (overrides = {}) => ({
  user_email: 'ann@example.com',
  user_full_name: 'Ann Example',
  subject: 'Printer on fire',
  content: 'It is on fire.\nSend help.',
  ...overrides,
});

// The global fetch (Workers, tests) and the Node and Lambda runtimes' own: Deskie receives the same.
describe.each([
  ['fetch', globalThis.fetch],
  ['the Node runtime', nodeFetch],
] as const)('Deskie client against the simulator over HTTP, through %s', (_, fetch) => {
  const client = makeClient({ fetch });

  it('creates a case from JSON with fields, labels, group, priority and language', async () => {
    const created = await client.createCase(
      newCase({
        language_id: 2,
        group_id: 44,
        priority: 'high',
        labels: [101, 103],
        custom_fields: { cf_5: 'A-1001', cf_9: '2', cf_12: true, cf_14: '2026-11-01' },
      }),
    );
    expect(created.case_number).toMatch(/^\d{3}-\d{6}$/);
    expect(created).toMatchObject({
      subject: 'Printer on fire',
      status: 'open',
      channel: 'web',
      priority: 'high',
      group_id: 44,
      language_id: 2,
      labels: [101, 103],
      custom_fields: { cf_5: 'A-1001', cf_9: '2', cf_12: true, cf_14: '2026-11-01' },
    });
    // What Deskie holds: the case and its first message, from the requester.
    const stored = sim.state.findCase(created.case_number);
    expect(stored?.recipient).toBe('ann@example.com');
    expect(sim.state.messagesOf(stored!)[0]?.content).toBe('It is on fire.\nSend help.');
  });

  it('creates a case with attachments as bracket-named multipart', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const created = await client.createCase(
      newCase({ labels: [102], custom_fields: { cf_12: false, cf_9: '1' } }),
      [
        { name: 'screen.png', type: 'image/png', data: png },
        { name: 'notes.txt', type: 'text/plain', data: new Blob(['hello'], { type: 'text/plain' }) },
      ],
    );
    expect(created.labels).toEqual([102]);
    expect(created.custom_fields).toEqual({ cf_12: false, cf_9: '1' });
    expect(created.attachments?.map((a) => [a.file_name, a.file_size, a.mime_type])).toEqual([
      ['screen.png', 11, 'image/png'],
      ['notes.txt', 5, 'text/plain'],
    ]);
    const served = await fetch(created.attachments![0]!.url);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it('gets a case by id and by case number', async () => {
    const created = await client.createCase(newCase());
    expect((await client.getCase(created.case_id)).case_number).toBe(created.case_number);
    expect((await client.getCase(created.case_number)).case_id).toBe(created.case_id);
  });

  it('lists cases by exact email by default, by substring on request', async () => {
    await client.createCase(newCase({ user_email: 'me@gmail.com' }));
    await client.createCase(newCase({ user_email: 'abcme@gmail.com' }));
    const exact = await client.listCases({ user_email: 'me@gmail.com' });
    expect(exact.totalCount).toBe(1);
    expect(exact.items.map((c) => c.recipient)).toEqual(['me@gmail.com']);
    const loose = await client.listCases({ user_email: 'me@gmail.com', exact: false });
    expect(loose.totalCount).toBe(2);
  });

  it('lists cases filtered by status, sorted and paged, with the total across pages', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await client.createCase(newCase({ subject: `Case number ${i}` })));
    await client.updateCase(made[1]!.case_id, { status: 'closed' });
    const page = await client.listCases({ status: ['open'], sort: 'created_at_asc', page: 2, limit: 2 });
    expect(page.totalCount).toBe(4);
    expect(page.items.map((c) => c.subject)).toEqual(['Case number 3', 'Case number 4']);
    const closed = await client.listCases({ status: 'closed' });
    expect(closed.items.map((c) => c.case_id)).toEqual([made[1]!.case_id]);
  });

  it('reads an empty list as no items', async () => {
    expect(await client.listCases({ user_email: 'nobody@example.com' })).toEqual({
      items: [],
      totalCount: 0,
    });
  });

  it('updates a case: status, priority, labels and custom fields', async () => {
    const created = await client.createCase(newCase({ labels: [101] }));
    const updated = await client.updateCase(created.case_id, {
      status: 'waiting',
      priority: 'critical',
      add_labels: [102],
      delete_labels: [101],
      custom_fields: { cf_5: 'B-2' },
    });
    expect(updated).toMatchObject({
      status: 'waiting',
      priority: 'critical',
      labels: [102],
      custom_fields: { cf_5: 'B-2' },
    });
    expect(sim.state.findCase(String(created.case_id))?.status).toBe('waiting');
  });

  it('lists messages with public replies and internal notes told apart, and adds a customer message', async () => {
    const created = await client.createCase(newCase());
    const kase = sim.state.findCase(created.case_number)!;
    sim.state.addMessage(kase, { staff_id: 1 }, 'We are on it.');
    sim.state.addNote(kase, 1, 'Customer is on the gold plan.');
    const reply = await client.createUserMessage(created.case_number, {
      user_id: created.user_id,
      content: 'Thanks!',
    });
    expect(reply).toMatchObject({ user_id: created.user_id, staff_id: 0, note: false, content: 'Thanks!' });
    const { items, totalCount } = await client.listMessages(created.case_id);
    expect(totalCount).toBe(4);
    expect(items.map((m) => [m.content, m.note, m.staff_id > 0])).toEqual([
      ['It is on fire.\nSend help.', false, false],
      ['We are on it.', false, true],
      ['Customer is on the gold plan.', true, true],
      ['Thanks!', false, false],
    ]);
    const newest = await client.listMessages(created.case_id, { order: 'desc', limit: 1 });
    expect(newest.items.map((m) => m.content)).toEqual(['Thanks!']);
  });

  it('lists custom fields of all five types, select options included', async () => {
    const fields = await client.listCustomFields();
    expect(new Set(fields.map((f) => f.field_type))).toEqual(
      new Set(['text', 'textarea', 'select', 'checkbox', 'date']),
    );
    expect(fields.find((f) => f.field_id === 9)?.field_data).toEqual({
      '1': 'Billing',
      '2': 'Delivery',
      '3': 'Other',
    });
    expect(fields.find((f) => f.field_id === 5)?.field_data).toBe('');
    expect(fields.find((f) => f.field_id === 21)?.active).toBe(false);
  });

  it('lists labels, languages and groups, and gets a user', async () => {
    expect((await client.listLabels()).map((l) => l.label_title)).toEqual(['web-form', 'billing', 'bug']);
    expect((await client.listLanguages()).map((l) => [l.language_id, l.title])).toEqual([
      [1, 'Русский'],
      [2, 'English'],
      [3, 'العربية'],
    ]);
    expect((await client.listGroups()).map((g) => g.group_id)).toEqual([44, 45]);
    const created = await client.createCase(newCase());
    expect(await client.getUser(created.user_id)).toMatchObject({
      user_email: 'ann@example.com',
      user_full_name: 'Ann Example',
    });
  });
});
