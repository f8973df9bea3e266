/**
 * The widget's validator for a form with request types, conditions, hidden values or consent: the
 * rules that apply come from server/rules.ts, as on the server. Its own chunk, loaded for such
 * forms only, so a plain form's visitor never downloads it.
 */
import type { ValidatedForm, Validation } from '../server/contract';
import { compileRules } from '../server/rules';
import { validate } from './validate';

/** Checks `values` against everything `form` asks for, as the server's createValidator does. */
export const validateForm = (form: ValidatedForm, values: Record<string, unknown>): Validation =>
  validate(compileRules(form).applicable(values), values);
