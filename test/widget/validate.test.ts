/** The widget's rules interpreter and the server's zod/mini validator give the same verdict on every input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Condition,
  createValidator,
  fieldTypes,
  type HiddenField,
  type PublicField,
  type ValidatedForm,
} from '../../server/contract';
import { validate } from '../../widget/validate';
import { validateForm } from '../../widget/validate-form';

const keys = ['name', 'email', 'subject', 'message', 'cf_1', 'cf_2', 'cf_3'];
const hiddenKeys = ['utm_source', 'order'];
/** Few values, so that conditions, request types and answers meet often. */
const words = ['a', 'b', '1'];

const field: fc.Arbitrary<PublicField> = fc.record(
  {
    key: fc.constantFrom(...keys),
    type: fc.constantFrom(...fieldTypes),
    label: fc.constant('Label'),
    required: fc.boolean(),
    maxLength: fc.integer({ min: 1, max: 30 }),
    options: fc.array(fc.record({ value: fc.string({ maxLength: 3 }), label: fc.constant('x') }), {
      maxLength: 4,
    }),
  },
  // The server's definitions always carry maxLength for text-like fields (server/forms/definition.ts).
  { requiredKeys: ['key', 'type', 'label', 'required', 'maxLength'] },
);

/** Conditions on fields, the request type, hidden values and keys the form does not have; nested. */
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      field: fc.constantFrom(...keys, 'type', ...hiddenKeys, 'nope'),
      equals: fc.constantFrom(...words),
    }),
    fc.record({ field: fc.constantFrom(...keys, 'type'), oneOf: fc.subarray(words) }),
    fc.record({ field: fc.constantFrom(...keys), checked: fc.constant(true as const) }),
    fc.record({ field: fc.constantFrom(...keys, ...hiddenKeys), notEmpty: fc.constant(true as const) }),
    fc.record({ allOf: fc.array(tie('c'), { maxLength: 3 }) }),
    fc.record({ anyOf: fc.array(tie('c'), { maxLength: 3 }) }),
  ),
})).c;

const conditional = fc
  .tuple(field, fc.option(condition, { nil: undefined }))
  .map(([f, showIf]) => (showIf ? { ...f, showIf } : f));

const hidden: fc.Arbitrary<HiddenField> = fc.record(
  {
    key: fc.constantFrom(...hiddenKeys),
    type: fc.constantFrom(...fieldTypes),
    maxLength: fc.integer({ min: 1, max: 30 }),
    options: fc.array(fc.record({ value: fc.constantFrom(...words) }), { maxLength: 3 }),
  },
  { requiredKeys: ['key', 'type', 'maxLength'] },
);

/** Forms with request types, fields shown on conditions (cycles included), hidden values and consent. */
const adaptiveForm: fc.Arbitrary<ValidatedForm> = fc.record(
  {
    fields: fc.uniqueArray(conditional, { selector: (f) => f.key, minLength: 1, maxLength: 6 }),
    types: fc.record({
      options: fc.uniqueArray(fc.record({ value: fc.constantFrom(...words) }), {
        selector: (o) => o.value,
        minLength: 1,
      }),
    }),
    hidden: fc.uniqueArray(hidden, { selector: (h) => h.key }),
    consent: fc.constant({}),
  },
  { requiredKeys: ['fields'] },
);

/** Values of every shape a page, a visitor or a script could hand over: near-misses of every rule. */
const value = fc.oneof(
  fc.constantFrom(...words, ' a ', 'b '),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(' ', '  a  ', 'ann@example.com', ' ann@example.com ', 'a@b', 'a@b.c', 'ann@ex-ample.org'),
  fc.constantFrom('2026-02-29', '2024-02-29', '2026-13-01', '2026-1-01', ' 2026-11-28 ', '2026-11-28'),
  fc.emailAddress(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    ),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constantFrom(null, undefined, 0, 1, [], {}),
);

describe('widget validation', () => {
  it('agrees with the server on generated forms and values', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(field, { selector: (f) => f.key, minLength: 1, maxLength: 5 }),
        fc.dictionary(fc.constantFrom(...keys, 'other'), value),
        (fields, values) => {
          expect(validate(fields, values)).toEqual(createValidator({ fields })(values));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('agrees with the server on forms with request types, conditions, hidden values and consent', () => {
    fc.assert(
      fc.property(
        adaptiveForm,
        fc.dictionary(fc.constantFrom(...keys, 'type', ...hiddenKeys, 'consent', 'other'), value),
        (form, values) => {
          expect(validateForm(form, values)).toEqual(createValidator(form)(values));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('explains each refusal with its code', () => {
    const fields: PublicField[] = [
      { key: 'email', type: 'email', label: 'Email', required: true },
      { key: 'subject', type: 'text', label: 'Subject', required: false, maxLength: 3 },
      { key: 'cf_1', type: 'date', label: 'When', required: false },
      { key: 'cf_2', type: 'select', label: 'Topic', required: false, options: [{ value: '1', label: 'A' }] },
      { key: 'cf_3', type: 'checkbox', label: 'Agree', required: true },
    ];
    expect(
      validate(fields, { email: ' ', subject: 'long', cf_1: '2026-02-30', cf_2: '9', cf_3: false }),
    ).toEqual({
      ok: false,
      fields: {
        email: 'REQUIRED',
        subject: 'TOO_LONG',
        cf_1: 'INVALID_DATE',
        cf_2: 'INVALID_OPTION',
        cf_3: 'REQUIRED',
      },
    });
    expect(validate(fields, { email: ' ann@example.com ', cf_3: true, extra: 'dropped' })).toEqual({
      ok: true,
      values: { email: 'ann@example.com', cf_3: true },
    });
  });
});
