import { describe, expect, it } from 'vitest';
import { type PublicField, validateValues } from '../../server/contract';

const field = (f: Partial<PublicField> & Pick<PublicField, 'key' | 'type'>): PublicField => ({
  label: f.key,
  required: false,
  ...f,
});
const form = {
  fields: [
    field({ key: 'email', type: 'email', required: true }),
    field({ key: 'name', type: 'text', maxLength: 5 }),
    field({ key: 'message', type: 'textarea', required: true }),
    field({
      key: 'cf_9',
      type: 'select',
      options: [
        { value: '1', label: 'A' },
        { value: '2', label: 'B' },
      ],
    }),
    field({ key: 'cf_12', type: 'checkbox' }),
    field({ key: 'cf_13', type: 'checkbox', required: true }),
    field({ key: 'cf_14', type: 'date' }),
  ],
};
const ok = { email: 'a@b.co', message: 'hi', cf_13: true };

describe('validateValues (run by the widget and the server alike)', () => {
  it('accepts valid values, trims strings, drops blanks and unknown keys', () => {
    expect(
      validateValues(form, {
        ...ok,
        email: '  a@b.co ',
        name: '  ',
        cf_9: '2',
        cf_12: false,
        cf_14: '2026-02-28',
        extra: 'x',
      }),
    ).toEqual({
      ok: true,
      values: { email: 'a@b.co', message: 'hi', cf_9: '2', cf_12: false, cf_13: true, cf_14: '2026-02-28' },
    });
  });

  it.each([
    [{ email: '' }, 'email', 'REQUIRED'],
    [{ email: 'a@b' }, 'email', 'INVALID_EMAIL'],
    [{ email: true }, 'email', 'INVALID_TYPE'],
    [{ name: 'Ann Example' }, 'name', 'TOO_LONG'],
    [{ message: '   ' }, 'message', 'REQUIRED'],
    [{ cf_9: '3' }, 'cf_9', 'INVALID_OPTION'],
    [{ cf_12: 'yes' }, 'cf_12', 'INVALID_TYPE'],
    [{ cf_13: false }, 'cf_13', 'REQUIRED'],
    [{ cf_14: '2026-02-30' }, 'cf_14', 'INVALID_DATE'],
    [{ cf_14: '28.02.2026' }, 'cf_14', 'INVALID_DATE'],
  ])('%j → %s: %s', (change, key, code) => {
    expect(validateValues(form, { ...ok, ...change })).toEqual({ ok: false, fields: { [key]: code } });
  });

  it('reports every bad field at once', () => {
    const result = validateValues(form, { email: 'x', cf_9: 'z' });
    expect(result).toEqual({
      ok: false,
      fields: { email: 'INVALID_EMAIL', message: 'REQUIRED', cf_9: 'INVALID_OPTION', cf_13: 'REQUIRED' },
    });
  });

  it('does not read inherited properties as values', () => {
    expect(
      validateValues({ fields: [field({ key: 'toString', type: 'text', required: true })] }, {}),
    ).toEqual({
      ok: false,
      fields: { toString: 'REQUIRED' },
    });
  });
});
