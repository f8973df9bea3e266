/**
 * Which answers of a form count: the request type, the conditions that show a field, the hidden
 * values a page sets, consent. The server's validator (contract.ts) and the widget's
 * (widget/validate.ts) both ask this module, so they cannot disagree on it; it has no zod and
 * no state, so the widget bundles it for a few hundred bytes. What one value must look like stays
 * with each validator (test/widget/validate.test.ts proves they agree).
 *
 * A condition sees only the answers of fields that are shown: hiding a field hides what depends on
 * it, and a field that is not shown has no value (dropped, never sent) and is never required.
 */

export const fieldTypes = ['text', 'email', 'textarea', 'select', 'checkbox', 'date'] as const;
export type FieldType = (typeof fieldTypes)[number];

/** The answer naming the request type, and the one that gives consent. */
export const TYPE_KEY = 'type';
export const CONSENT_KEY = 'consent';

/**
 * When a field is shown: another answer equals a value, is one of several, is a ticked box, or is
 * not empty; or all (any) of several conditions hold.
 */
export type Condition =
  | { field: string; equals: string }
  | { field: string; oneOf: string[] }
  | { field: string; checked: true }
  | { field: string; notEmpty: true }
  | { allOf: Condition[] }
  | { anyOf: Condition[] };

/** What one answer must be: a field's, the request type's, a hidden value's, consent's. */
export interface Rule {
  key: string;
  type: FieldType;
  required: boolean;
  maxLength?: number;
  options?: readonly { value: string }[];
  showIf?: Condition;
}

/** What the rules read of a form (the public definition has it all). */
export interface RuleForm<F extends Rule = Rule> {
  fields: readonly F[];
  types?: { options: readonly { value: string }[] };
  hidden?: readonly Omit<Rule, 'required' | 'showIf'>[];
  consent?: object;
}

/** The answer a condition sees: a trimmed string that is not blank, or a ticked box. */
const answerOf = (value: unknown): string | true | undefined =>
  typeof value === 'string' ? value.trim() || undefined : value === true || undefined;

const own = (values: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(values, key) ? values[key] : undefined;

/** Every answer `condition` reads (for the config's checks: unknown fields, cycles). */
export const conditionKeys = (condition: Condition): string[] =>
  'allOf' in condition
    ? condition.allOf.flatMap(conditionKeys)
    : 'anyOf' in condition
      ? condition.anyOf.flatMap(conditionKeys)
      : [condition.field];

/** Whether `condition` holds, each answer read through `answer`. */
export function holds(condition: Condition, answer: (key: string) => string | true | undefined): boolean {
  if ('allOf' in condition) return condition.allOf.every((c) => holds(c, answer));
  if ('anyOf' in condition) return condition.anyOf.some((c) => holds(c, answer));
  const given = answer(condition.field);
  if ('equals' in condition) return given === condition.equals;
  if ('oneOf' in condition) return typeof given === 'string' && condition.oneOf.includes(given);
  if ('checked' in condition) return given === true;
  return given !== undefined;
}

/** The request type `values` chose, when it is one of the form's. */
export function chosenType<T extends { value: string }>(
  form: { types?: { options: readonly T[] } },
  values: Record<string, unknown>,
): T | undefined {
  const chosen = answerOf(own(values, TYPE_KEY));
  return form.types?.options.find((o) => o.value === chosen);
}

/** The attachment policy for `values`: the chosen type's when it has one (null: no files), else the form's. */
export function attachmentsFor<P>(
  form: { attachments: P | null; types?: { options: readonly { value: string; attachments?: P | null }[] } },
  values: Record<string, unknown>,
): P | null {
  const own = chosenType(form, values)?.attachments;
  return own === undefined ? form.attachments : own;
}

/**
 * A form's rules, compiled once: `all` lists every rule it can apply (validators compile each once),
 * `applicable(values)` the ones that apply to these answers, in order — the request type, the
 * fields shown, the hidden values, consent. Keys of no applicable rule are dropped.
 */
export function compileRules<F extends Rule>(form: RuleForm<F>) {
  const types: Rule[] = form.types
    ? [{ key: TYPE_KEY, type: 'select', required: true, options: form.types.options }]
    : [];
  const hidden: Rule[] = (form.hidden ?? []).map((h) => ({ ...h, required: false }));
  const consent: Rule[] = form.consent ? [{ key: CONSENT_KEY, type: 'checkbox', required: true }] : [];
  const byKey = new Map(form.fields.map((f) => [f.key, f]));
  const always = new Set([...types, ...hidden].map((r) => r.key));
  const all: readonly (F | Rule)[] = [...types, ...form.fields, ...hidden, ...consent];
  return {
    all,
    applicable(values: Record<string, unknown>): (F | Rule)[] {
      const shown = new Map<string, boolean>();
      const isShown = (field: F): boolean => {
        let seen = shown.get(field.key);
        if (seen === undefined) {
          // A field met again while its own condition is read (a cycle; the config refuses them) is not shown.
          shown.set(field.key, false);
          seen = !field.showIf || holds(field.showIf, answer);
          shown.set(field.key, seen);
        }
        return seen;
      };
      const answer = (key: string) => {
        const field = byKey.get(key);
        if (field ? isShown(field) : always.has(key)) return answerOf(own(values, key));
        return undefined;
      };
      return [...types, ...form.fields.filter(isShown), ...hidden, ...consent];
    },
  };
}
