/** The config of adaptive forms: what it takes, and the one line per problem that stops a start. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../server/config/schema';
import { ADAPTIVE_FORM } from '../../helpers/adaptive';
import { DEMO_CONFIG } from '../../helpers/backend';

const withForm = (changes: Record<string, unknown>) => ({
  ...DEMO_CONFIG,
  forms: [{ ...ADAPTIVE_FORM, ...changes }],
});
const problems = (raw: unknown) => {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
};
const [order, bug, question] = ADAPTIVE_FORM.types.options;
const fields = ADAPTIVE_FORM.fields;

describe('adaptive form config', () => {
  it('takes request types, conditions, routes, hidden values and consent, with defaults', () => {
    const form = parseConfig(withForm({})).forms[0]!;
    expect(form.types?.options.map((t) => t.value)).toEqual(['order', 'bug', 'question']);
    expect(form.types?.options[1]?.attachments).toMatchObject({
      maxFiles: 1,
      maxFileBytes: 10 * 1024 * 1024,
    });
    expect(form.types?.options[2]?.attachments).toBe(false);
    expect(form.hidden).toEqual([
      { key: 'utm_source', query: 'utm_source', into: 'context', label: 'Campaign', maxLength: 40 },
      { key: 'order', query: 'order', into: 'cf_5' },
    ]);
    expect(form.consent?.version).toBe('2026-01');
    expect(parseConfig(DEMO_CONFIG).forms[0]?.hidden).toEqual([]);
  });

  it.each([
    [
      'a condition on an unknown field',
      withForm({
        fields: [
          ...fields.slice(0, 3),
          { key: 'cf_5', showIf: { field: 'cf_99', notEmpty: true } },
          fields[4],
        ],
      }),
      'forms[0].fields[3].showIf.field: "cf_99" is not a field of this form',
    ],
    [
      'a cycle',
      withForm({
        fields: [
          { key: 'email' },
          { key: 'cf_5', type: 'text', showIf: { field: 'cf_6', notEmpty: true } },
          {
            key: 'cf_6',
            type: 'text',
            showIf: {
              anyOf: [
                { field: 'cf_5', notEmpty: true },
                { field: 'email', notEmpty: true },
              ],
            },
          },
          { key: 'subject' },
          { key: 'message' },
        ],
      }),
      'forms[0].fields[1].showIf: "cf_5" → "cf_6" → "cf_5" is a cycle: each is shown only after the next',
    ],
    [
      'a field that waits on itself',
      withForm({ fields: [...fields, { key: 'cf_5', showIf: { field: 'cf_5', notEmpty: true } }] }),
      'forms[0].fields[5].showIf: "cf_5" → "cf_5" is a cycle: each is shown only after the next',
    ],
    [
      'a condition on a type the form does not offer',
      withForm({
        fields: [...fields, { key: 'cf_5', showIf: { field: 'type', oneOf: ['order', 'refund'] } }],
      }),
      'forms[0].fields[5].showIf.oneOf: "refund" is not one of the request type\'s values (order, bug, question)',
    ],
    [
      'an option that is not offered',
      withForm({
        types: {
          options: [
            order,
            bug,
            {
              ...question,
              fields: [question!.fields[0], { key: 'cf_20', showIf: { field: 'cf_9', equals: '4' } }],
            },
          ],
        },
      }),
      'forms[0].types.options[2].fields[1].showIf.equals: "4" is not one of "cf_9"\'s values (1, 2, 3)',
    ],
    [
      '"checked" on a field that is no checkbox',
      withForm({
        fields: [...fields, { key: 'cf_5', showIf: { allOf: [{ field: 'subject', checked: true }] } }],
      }),
      'forms[0].fields[5].showIf.allOf[0].checked: "subject" is not a checkbox',
    ],
    [
      'a condition of another shape',
      withForm({ fields: [...fields, { key: 'cf_5', showIf: { field: 'cf_12', is: true } }] }),
      'forms[0].fields[5].showIf: must be {"field", "equals" | "oneOf" | "checked": true | "notEmpty": true} or {"allOf" | "anyOf": [conditions]}',
    ],
    [
      'a hidden email',
      withForm({
        fields: fields.map((f) =>
          f.key === 'email' ? { ...f, showIf: { field: 'cf_12', checked: true } } : f,
        ),
      }),
      'forms[0].fields[1].showIf: "email" is always shown: Deskie requires it',
    ],
    [
      "a type's field that the form already has",
      withForm({ types: { options: [{ ...order, fields: [{ key: 'cf_12' }] }, bug, question] } }),
      'forms[0].types.options[0].fields[0].key: "cf_12" is already a field of this form (fields[3]); to show one field for several types, give it a showIf on "type"',
    ],
    [
      'the message in one type only',
      withForm({
        fields: fields.slice(0, 4),
        types: { options: [{ ...order, fields: [{ key: 'message' }] }] },
      }),
      'forms[0].types.options[0].fields[0].key: "message" belongs in the form\'s own fields: every request needs it',
    ],
    [
      'two types with one value',
      withForm({ types: { options: [order, { ...bug, value: 'order' }] } }),
      'forms[0].types.options[1].value: "order" appears twice',
    ],
    [
      'a type value a page cannot name',
      withForm({ types: { options: [{ ...order, value: 'An order' }] } }),
      'forms[0].types.options[0].value: must be lower-case letters, digits, "-" and "_"',
    ],
    [
      'a hidden value into a field the visitor fills in',
      withForm({ hidden: [{ key: 'topic', into: 'cf_9' }] }),
      'forms[0].hidden[0].into: "cf_9" is a field of this form: the visitor fills it in',
    ],
    [
      'a hidden value named like a field',
      withForm({ hidden: [{ key: 'email' }] }),
      'forms[0].hidden[0].key: is the name of a field: pick another',
    ],
    [
      'two hidden values from one query parameter',
      withForm({
        hidden: [
          { key: 'a', query: 'ref' },
          { key: 'b', query: 'ref' },
        ],
      }),
      'forms[0].hidden[1].query: "ref" is read by another hidden value',
    ],
    [
      'a route to a priority Deskie does not have',
      withForm({ types: { options: [{ ...order, case: { priority: 'urgent' } }] } }),
      'forms[0].types.options[0].case.priority: Invalid option: expected one of "low"|"normal"|"high"|"critical"',
    ],
    [
      'consent without the policy',
      withForm({ consent: { version: '1' } }),
      'forms[0].consent.url: Invalid input',
    ],
  ])('refuses %s, naming the key', (_, raw, problem) => {
    expect(problems(raw)).toContain(problem);
  });

  it('names every problem at once, one line each', () => {
    const found = problems(
      withForm({
        fields: [...fields, { key: 'cf_5', showIf: { field: 'nope', notEmpty: true } }],
        hidden: [{ key: 'email' }],
        types: { options: [order, { ...bug, value: 'order' }] },
      }),
    );
    expect(found).toEqual([
      'forms[0].hidden[0].key: is the name of a field: pick another',
      'forms[0].types.options[1].value: "order" appears twice',
      'forms[0].fields[5].showIf.field: "nope" is not a field of this form',
    ]);
  });

  it('needs a subject for each type when the form has none of its own', () => {
    const noSubject = fields.filter((f) => f.key !== 'subject');
    expect(problems(withForm({ fields: noSubject }))).toContain(
      'forms[0].case.subject: is needed when the form has no subject field',
    );
    const subjects = ADAPTIVE_FORM.types.options.map((t) => ({
      ...t,
      case: { ...t.case, subject: t.label },
    }));
    expect(parseConfig(withForm({ fields: noSubject, types: { options: subjects } })).forms).toHaveLength(1);
  });
});
