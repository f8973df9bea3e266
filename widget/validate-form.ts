/**
 * The widget's validator for a form with request types, conditions, hidden values or consent: the
 * rules that apply come from server/rules.ts, as on the server. Part of the adaptive chunk (adapt.ts
 * checks with it), so a plain form's visitor never downloads it; test/widget/validate.test.ts
 * proves it agrees with the server's createValidator.
 */
import type { ValidatedForm, Validation } from '../server/contract';
import { compileRules } from '../server/rules';
import { validate } from './validate';

/** Checks `values` against a form's compiled rules: only those that apply to these answers. */
export const validateCompiled = (rules: ReturnType<typeof compileRules>, values: Record<string, unknown>) =>
  validate(rules.applicable(values), values);

/** Checks `values` against everything `form` asks for, as the server's createValidator does. */
export const validateForm = (form: ValidatedForm, values: Record<string, unknown>): Validation =>
  validateCompiled(compileRules(form), values);
