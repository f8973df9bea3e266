/** The form's rules as the widget and the server both apply them: which answers count, and when a field is required. */
import { describe, expect, it } from 'vitest';
import { type PublicField, type ValidatedForm, validateValues } from '../../server/contract';
import { attachmentsFor, chosenType, compileRules } from '../../server/rules';

const field = (f: Partial<PublicField> & Pick<PublicField, 'key'>): PublicField => ({
  type: 'text',
  label: f.key,
  required: false,
  ...f,
});

/** "What is it about?": an order (its number required) or a bug (steps, shown once a version is given). */
const form: ValidatedForm = {
  types: { options: [{ value: 'order' }, { value: 'bug' }] },
  fields: [
    field({ key: 'email', type: 'email', required: true }),
    field({ key: 'cf_5', required: true, showIf: { field: 'type', equals: 'order' } }),
    field({ key: 'cf_7', showIf: { field: 'type', equals: 'bug' } }),
    field({ key: 'cf_6', type: 'textarea', required: true, showIf: { field: 'cf_7', notEmpty: true } }),
    field({ key: 'cf_12', type: 'checkbox' }),
    field({
      key: 'cf_13',
      required: true,
      showIf: {
        allOf: [
          { field: 'cf_12', checked: true },
          { field: 'type', oneOf: ['order', 'bug'] },
        ],
      },
    }),
    field({ key: 'message', type: 'textarea', required: true }),
  ],
  hidden: [{ key: 'utm_source', type: 'text', maxLength: 10 }],
  consent: {},
};
const base = { type: 'order', email: 'ann@example.com', cf_5: 'A-1', message: 'Hi', consent: true };

describe('the form rules', () => {
  it('asks for the request type first; a type that is not offered is refused', () => {
    // Until a type is chosen, no type's fields are shown: only the choice itself is missing.
    expect(validateValues(form, { ...base, type: undefined })).toEqual({
      ok: false,
      fields: { type: 'REQUIRED' },
    });
    expect(validateValues(form, { ...base, type: 'refund' })).toEqual({
      ok: false,
      fields: { type: 'INVALID_OPTION' },
    });
  });

  it("shows a type's fields only while it is chosen: required then, dropped otherwise", () => {
    expect(validateValues(form, { ...base, cf_5: '' })).toEqual({ ok: false, fields: { cf_5: 'REQUIRED' } });
    // A bug: the order number is not shown, so it is not required — and what was typed is not sent.
    expect(validateValues(form, { ...base, type: 'bug', cf_5: 'A-1' })).toEqual({
      ok: true,
      values: { type: 'bug', email: 'ann@example.com', message: 'Hi', consent: true },
    });
  });

  it('reveals a required field when another is filled in, and hides what depends on a hidden field', () => {
    const bug = { ...base, type: 'bug', cf_5: undefined };
    expect(validateValues(form, { ...bug, cf_7: '2.1' })).toEqual({
      ok: false,
      fields: { cf_6: 'REQUIRED' },
    });
    expect(validateValues(form, { ...bug, cf_7: '  ' })).toMatchObject({ ok: true });
    // Steps depend on the version, shown only for a bug: for an order both are gone, values and all.
    expect(validateValues(form, { ...base, cf_7: '2.1', cf_6: 'Click' })).toEqual({
      ok: true,
      values: { type: 'order', email: 'ann@example.com', cf_5: 'A-1', message: 'Hi', consent: true },
    });
  });

  it('combines conditions: all of them, a ticked box, one of several values', () => {
    expect(validateValues(form, { ...base, cf_12: true })).toEqual({
      ok: false,
      fields: { cf_13: 'REQUIRED' },
    });
    expect(validateValues(form, { ...base, cf_12: false, cf_13: 'x' })).toEqual({
      ok: true,
      values: { ...base, cf_12: false },
    });
    const any: ValidatedForm = {
      fields: [
        field({ key: 'cf_1' }),
        field({ key: 'cf_2' }),
        field({
          key: 'cf_3',
          required: true,
          showIf: {
            anyOf: [
              { field: 'cf_1', equals: 'x' },
              { field: 'cf_2', notEmpty: true },
            ],
          },
        }),
      ],
    };
    expect(validateValues(any, { cf_1: ' x ' })).toEqual({ ok: false, fields: { cf_3: 'REQUIRED' } });
    expect(validateValues(any, { cf_2: 'y' })).toEqual({ ok: false, fields: { cf_3: 'REQUIRED' } });
    expect(validateValues(any, { cf_1: 'z', cf_3: 'kept?' })).toEqual({ ok: true, values: { cf_1: 'z' } });
  });

  it('takes hidden values the form allows, checked like fields; any other key is dropped', () => {
    expect(validateValues(form, { ...base, utm_source: ' spring ', ref: 'x' })).toEqual({
      ok: true,
      values: { ...base, utm_source: 'spring' },
    });
    expect(validateValues(form, { ...base, utm_source: 'a-very-long-campaign' })).toEqual({
      ok: false,
      fields: { utm_source: 'TOO_LONG' },
    });
  });

  it('needs consent ticked', () => {
    expect(validateValues(form, { ...base, consent: false })).toEqual({
      ok: false,
      fields: { consent: 'REQUIRED' },
    });
    expect(validateValues(form, { ...base, consent: 'yes' })).toEqual({
      ok: false,
      fields: { consent: 'INVALID_TYPE' },
    });
  });

  it('reads a cycle (refused in config) as not shown, and ends', () => {
    const cycle = compileRules({
      fields: [
        field({ key: 'cf_1', showIf: { field: 'cf_2', notEmpty: true } }),
        field({ key: 'cf_2', showIf: { field: 'cf_1', notEmpty: true } }),
      ],
    });
    expect(cycle.applicable({ cf_1: 'a', cf_2: 'b' }).map((r) => r.key)).toEqual([]);
  });

  it("gives the chosen type's attachment policy, none, or the form's", () => {
    const policy = { maxFiles: 1 };
    const files = {
      attachments: { maxFiles: 3 },
      types: {
        options: [
          { value: 'order', attachments: policy },
          { value: 'bug', attachments: null },
          { value: 'other' },
        ],
      },
    };
    expect(attachmentsFor(files, { type: 'order' })).toBe(policy);
    expect(attachmentsFor(files, { type: 'bug' })).toBeNull();
    expect(attachmentsFor(files, { type: 'other' })).toEqual({ maxFiles: 3 });
    expect(attachmentsFor(files, { type: 'nope' })).toEqual({ maxFiles: 3 });
    expect(chosenType(files, { type: ' bug ' })?.value).toBe('bug');
  });
});
