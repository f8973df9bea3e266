/**
 * The form's rules as the widget runs them: the same rules as `createValidator` in
 * server/contract.ts, interpreted by hand instead of through zod/mini, which would cost the
 * visitor ~5 KB gzipped. test/widget/validate.test.ts proves both agree on generated forms and
 * values. Emails use zod's own pattern; a date is valid when the calendar gives it back unchanged.
 */
import { regexes } from 'zod/mini';
import type { FieldErrorCode, Validation, ValidValues } from '../server/contract';
import type { Rule } from '../server/rules';

/** `YYYY-MM-DD` naming a real day (2026-02-29 does not: it would come back as March 1). */
function isDate(value: string): boolean {
  const day = new Date(`${value}T00:00Z`);
  return (
    /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value)
  );
}

/** Why a present (non-blank, trimmed) value breaks the field's rules; undefined when it does not. */
function problem(field: Rule, value: unknown): FieldErrorCode | undefined {
  if (field.type === 'checkbox') return value === true ? undefined : 'INVALID_TYPE';
  if (typeof value !== 'string') return 'INVALID_TYPE';
  if (field.type === 'date') return isDate(value) ? undefined : 'INVALID_DATE';
  if (field.type === 'select')
    return field.options?.some((o) => o.value === value) ? undefined : 'INVALID_OPTION';
  // The server's definitions give every text-like field its maxLength.
  if (value.length > (field.maxLength ?? Number.POSITIVE_INFINITY)) return 'TOO_LONG';
  return field.type === 'email' && !regexes.email.test(value) ? 'INVALID_EMAIL' : undefined;
}

/**
 * Checks `values` against `rules` — the ones that apply to them, in order: trimmed strings, blank
 * optional fields left out, the rest dropped. A form of plain fields passes its fields; a form with
 * request types, conditions, hidden values or consent passes what server/rules.ts says applies
 * (widget/adapt.ts, in a chunk loaded only for such forms: the filing chunk does not carry it).
 */
export function validate(rules: readonly Rule[], values: Record<string, unknown>): Validation {
  const valid: ValidValues = {};
  const errors: Record<string, FieldErrorCode> = {};
  for (const field of rules) {
    const raw = Object.hasOwn(values, field.key) ? values[field.key] : undefined;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (
      value === undefined ||
      value === null ||
      value === '' ||
      (field.type === 'checkbox' && value === false)
    ) {
      if (field.required) errors[field.key] = 'REQUIRED';
      else if (value === false) valid[field.key] = false;
      continue;
    }
    const why = problem(field, value);
    if (why) errors[field.key] = why;
    else valid[field.key] = value as string | boolean;
  }
  return Object.keys(errors).length > 0 ? { ok: false, fields: errors } : { ok: true, values: valid };
}
