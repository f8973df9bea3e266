/** An adaptive form over HTTP: the definition the widget gets, and the case Deskie receives. */
import { beforeEach, describe, expect, it } from 'vitest';
import { type PublicForm, publicForm } from '../../../../server/contract';
import { noFaults } from '../../../../server/simulator/faults';
import { ADAPTIVE_FORM } from '../../../helpers/adaptive';
import { DEMO_CONFIG, startBackend } from '../../../helpers/backend';

const t = await startBackend({ config: { forms: [DEMO_CONFIG.forms[0], ADAPTIVE_FORM] } });
beforeEach(() => {
  t.sim.state.reset();
  t.sim.setFaults(noFaults());
});

const definition = async (query = '') => {
  const answer = await t.app.request(`/v1/forms/help${query}`);
  expect(answer.status).toBe(200);
  const { form } = (await answer.json()) as { form: PublicForm };
  expect(publicForm.safeParse(form).success).toBe(true);
  return form;
};

describe('the definition of an adaptive form', () => {
  it("places each type's fields before the message, shown while the type is chosen", async () => {
    const form = await definition();
    expect(form.fields.map((f) => [f.key, f.required, f.showIf])).toEqual([
      ['name', false, undefined],
      ['email', true, undefined],
      ['subject', true, undefined],
      ['cf_12', false, undefined],
      ['cf_14', true, { field: 'type', equals: 'order' }],
      ['cf_6', true, { field: 'type', equals: 'bug' }],
      ['cf_9', true, { field: 'type', equals: 'question' }],
      [
        'cf_20',
        true,
        {
          allOf: [
            { field: 'type', equals: 'question' },
            { field: 'cf_9', equals: '1' },
          ],
        },
      ],
      ['message', true, undefined],
    ]);
    // Types come from Deskie where the config leaves them out: the date, the textarea.
    expect(form.fields.find((f) => f.key === 'cf_14')?.type).toBe('date');
    expect(form.fields.find((f) => f.key === 'cf_6')?.type).toBe('textarea');
  });

  it('offers the request types with their own texts and files, in the locale; no routing leaks', async () => {
    const form = await definition();
    expect(form.types).toEqual({
      label: 'What is it about?',
      options: [
        { value: 'order', label: 'An order', title: 'Help with an order' },
        {
          value: 'bug',
          label: 'Something is broken',
          attachments: {
            maxFiles: 1,
            maxFileBytes: 10 * 1024 * 1024,
            maxTotalBytes: 25 * 1024 * 1024,
            accept: ['image/png', 'text/plain'],
          },
        },
        { value: 'question', label: 'A question', attachments: null },
      ],
    });
    expect(form.attachments?.maxFiles).toBe(3);
    const ru = await definition('?locale=ru');
    expect(ru.types?.label).toBe('С чем связано обращение?');
    expect(ru.types?.options.map((o) => o.label)).toEqual(['Заказ', 'Что-то сломалось', 'Вопрос']);
    const text = JSON.stringify(form);
    for (const secret of ['groupId', 'staffId', 'route', '"labels"', 'priority'])
      expect(text).not.toContain(secret);
  });

  it('names the hidden values the page may set, checked as what they fill', async () => {
    expect((await definition()).hidden).toEqual([
      { key: 'utm_source', query: 'utm_source', type: 'text', maxLength: 40 },
      { key: 'order', query: 'order', type: 'text', maxLength: 200 },
    ]);
  });

  it('asks for consent with the policy of the locale', async () => {
    expect((await definition()).consent).toEqual({
      label: 'I agree that my data is used to answer this request.',
      linkText: 'Privacy policy',
      url: 'https://shop.example/privacy',
      version: '2026-01',
    });
    expect((await definition('?locale=ru')).consent).toMatchObject({
      linkText: 'Политика конфиденциальности',
      url: 'https://shop.example/ru/privacy',
    });
  });

  it('describes every new part in the OpenAPI document', async () => {
    const doc = JSON.stringify(await (await t.app.request('/openapi.json')).json());
    for (const part of ['showIf', 'allOf', 'notEmpty', 'types', 'hidden', 'consent', 'linkText', 'query'])
      expect(doc).toContain(`"${part}"`);
    expect(doc).toContain('"#/components/schemas/Condition"');
  });
});

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
  8, 6, 0, 0, 0,
]);

/** An order, answered in full, with everything a visitor may not send alongside. */
const orderValues = (overrides: Record<string, unknown> = {}) => ({
  type: 'order',
  name: 'Ann Example',
  email: 'ann@example.com',
  subject: 'Where is my parcel?',
  cf_14: '2026-11-20',
  message: 'Ordered a week ago.',
  consent: true,
  utm_source: 'spring-sale',
  order: 'A-1001',
  ...overrides,
});

const send = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  t.submit(values, { formId: 'help', extra });

/** A multipart submission to the adaptive form. */
async function sendFiles(
  values: Record<string, unknown>,
  files: { name: string; bytes: Uint8Array | string }[],
) {
  const { formToken } = await t.getForm('help');
  const form = new FormData();
  form.append('payload', JSON.stringify({ formToken, values }));
  for (const f of files) form.append('attachments', new Blob([f.bytes as BlobPart]), f.name);
  return t.app.request('/v1/forms/help/submissions', { method: 'POST', body: form });
}
const errorOf = async (answer: Response) =>
  ((await answer.json()) as { error: { code: string; fields?: Record<string, string> } }).error;

describe('a submission to an adaptive form', () => {
  it("files the chosen type's case where its route says, with hidden values and the consent on record", async () => {
    const answer = await send(
      orderValues({ cf_6: 'not an order field', cf_9: '1', cf_20: '50', gclid: 'not allowed' }),
    );
    expect(answer.status).toBe(201);
    expect(t.sim.state.cases).toHaveLength(1);
    const kase = t.sim.state.cases[0]!;
    expect(kase).toMatchObject({
      subject: 'Where is my parcel?',
      group_id: 45,
      staff_id: 0,
      labels: [101, 102],
      priority: 'high',
      language_id: 2,
      // The order date; the order number from the page; nothing of the fields an order does not show.
      custom_fields: { cf_5: 'A-1001', cf_14: '2026-11-20' },
    });
    const content = t.sim.state.messagesOf(kase)[0]?.content ?? '';
    expect(content).toContain(
      [
        'Request type: An order',
        'Campaign: spring-sale',
        `Consent: given ${new Date(t.clock.now()).toISOString()} to https://shop.example/privacy (version 2026-01)`,
        'Reference: ',
      ].join('\n'),
    );
    expect(content).not.toContain('not allowed');
  });

  it('routes by the option chosen, over the type, and asks for the field the option reveals', async () => {
    const question = orderValues({ type: 'question', cf_14: undefined, cf_9: '1' });
    const refused = await send(question);
    expect(refused.status).toBe(422);
    expect((await errorOf(refused)).fields).toEqual({ cf_20: 'REQUIRED' });
    expect(t.sim.state.cases).toHaveLength(0);

    expect((await send({ ...question, cf_20: '50', cf_14: '2026-11-20' })).status).toBe(201);
    const kase = t.sim.state.cases[0]!;
    expect(kase).toMatchObject({ group_id: 45, labels: [101, 102], priority: 'normal', language_id: 2 });
    expect(kase.custom_fields).toEqual({ cf_5: 'A-1001', cf_9: '1' });
    // Company size is a user-level field in Deskie: it lands on the requester.
    expect(t.sim.state.users[0]?.custom_fields).toEqual({ cf_20: '50' });
  });

  it('assigns a bug to its agent in its language, whatever the locale of the form', async () => {
    const bug = orderValues({ type: 'bug', cf_14: undefined, cf_6: '1. Open the app' });
    expect((await send(bug, { locale: 'ru' })).status).toBe(201);
    expect(t.sim.state.cases[0]).toMatchObject({
      staff_id: 1,
      group_id: 44,
      labels: [101, 103],
      language_id: 2,
    });
    expect(t.sim.state.messagesOf(t.sim.state.cases[0]!)[0]?.content).toContain(
      `Consent: given ${new Date(t.clock.now()).toISOString()} to https://shop.example/ru/privacy (version 2026-01)`,
    );
  });

  it('needs the type, the fields it shows, consent, and hidden values that fit', async () => {
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [orderValues({ type: undefined }), { type: 'REQUIRED' }],
      [orderValues({ type: 'refund' }), { type: 'INVALID_OPTION' }],
      [orderValues({ cf_14: '' }), { cf_14: 'REQUIRED' }],
      [orderValues({ consent: false }), { consent: 'REQUIRED' }],
      [orderValues({ utm_source: 'x'.repeat(41) }), { utm_source: 'TOO_LONG' }],
    ];
    for (const [values, fields] of cases) {
      const answer = await send(values);
      expect(answer.status).toBe(422);
      expect((await errorOf(answer)).fields).toEqual(fields);
    }
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it("holds files to the chosen type's policy", async () => {
    const bug = orderValues({ type: 'bug', cf_14: undefined, cf_6: 'Steps' });
    const two = [
      { name: 'a.png', bytes: PNG },
      { name: 'b.txt', bytes: 'log' },
    ];
    expect(await errorOf(await sendFiles(bug, two))).toMatchObject({ code: 'TOO_MANY_ATTACHMENTS' });
    expect((await sendFiles(orderValues(), two)).status).toBe(201);
    const question = orderValues({ type: 'question', cf_14: undefined, cf_9: '2' });
    expect(await errorOf(await sendFiles(question, [two[1]!]))).toMatchObject({
      code: 'TOO_MANY_ATTACHMENTS',
    });
    expect((await sendFiles(bug, [two[1]!])).status).toBe(201);
    expect(t.sim.state.cases.map((c) => c.attachments.length)).toEqual([2, 1]);
  });
});
