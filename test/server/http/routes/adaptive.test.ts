/** An adaptive form over HTTP: the definition the widget gets, and the case Deskie receives. */
import { beforeEach, describe, expect, it } from 'vitest';
import { type PublicForm, publicForm } from '../../../../server/contract';
import { noFaults } from '../../../../server/simulator/faults';
import { ADAPTIVE_FORM } from '../../../helpers/adaptive';
import { DEMO_CONFIG, startBackend } from '../../../helpers/backend';

const t = await startBackend({ config: { forms: [...DEMO_CONFIG.forms, ADAPTIVE_FORM] } });
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
