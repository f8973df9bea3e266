/**
 * How a form's adaptive parts fit together, checked from the config alone (the account's side is
 * check-account.ts): every condition names a field the form has and a value it can take, no field
 * waits on itself, a field lives in one place, hidden values do not collide. Each problem names
 * its key, so that a bad config stops the start with one line per problem.
 */
import type { Condition } from '../rules';
import type { FieldConfig, FormConfig } from './schema';

export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

/** A field and where it is written: the form's own fields, or a request type's. */
interface Placed {
  field: FieldConfig;
  path: (string | number)[];
}

const STANDARD_TYPES: Record<string, string> = {
  name: 'text',
  email: 'email',
  subject: 'text',
  message: 'textarea',
};
/** A key's path as a problem names it: `forms[0].fields[3].showIf`. */
export const keyPath = (path: (string | number)[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** Every field of the form, its own then each type's, with its path. */
export const placedFields = (form: FormConfig): Placed[] => [
  ...form.fields.map((field, i) => ({ field, path: ['fields', i] })),
  ...(form.types?.options ?? []).flatMap((type, t) =>
    type.fields.map((field, i) => ({ field, path: ['types', 'options', t, 'fields', i] })),
  ),
];

/** Each simple condition inside `condition`, with its path. */
function leaves(
  condition: Condition,
  path: (string | number)[],
): { leaf: Condition; path: (string | number)[] }[] {
  if ('allOf' in condition) return condition.allOf.flatMap((c, i) => leaves(c, [...path, 'allOf', i]));
  if ('anyOf' in condition) return condition.anyOf.flatMap((c, i) => leaves(c, [...path, 'anyOf', i]));
  return [{ leaf: condition, path }];
}

/** Problems of where fields are written: one place each; email and message always there. */
function placementProblems(form: FormConfig, placed: Placed[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const first = new Map<string, Placed>();
  for (const p of placed) {
    const { key } = p.field;
    const earlier = first.get(key);
    if (earlier && p.path[0] === 'types')
      problems.push({
        path: [...p.path, 'key'],
        message: `"${key}" is already a field of this form (${keyPath(earlier.path)}); to show one field for several types, give it a showIf on "type"`,
      });
    if (!earlier) first.set(key, p);
    if (p.path[0] === 'types' && (key === 'email' || key === 'message'))
      problems.push({
        path: [...p.path, 'key'],
        message: `"${key}" belongs in the form's own fields: every request needs it`,
      });
    if (p.path[0] === 'types' && STANDARD_TYPES[key] && (p.field.type || p.field.options))
      problems.push({ path: p.path, message: 'type and options apply to custom fields only' });
    if (p.path[0] === 'types' && p.field.options && p.field.type && p.field.type !== 'select')
      problems.push({ path: [...p.path, 'options'], message: 'options apply to select fields only' });
    if ((key === 'email' || key === 'message') && p.field.showIf)
      problems.push({ path: [...p.path, 'showIf'], message: `"${key}" is always shown: Deskie requires it` });
  }
  const values = (form.types?.options ?? []).map((t) => t.value);
  values.forEach((value, i) => {
    if (values.indexOf(value) !== i)
      problems.push({ path: ['types', 'options', i, 'value'], message: `"${value}" appears twice` });
  });
  form.types?.options.forEach((type, i) => {
    const files = type.attachments;
    if (files && files.maxFileBytes > files.maxTotalBytes)
      problems.push({
        path: ['types', 'options', i, 'attachments', 'maxFileBytes'],
        message: 'must not exceed maxTotalBytes',
      });
  });
  return problems;
}

/** Problems of hidden values: unique keys and parameters, a custom field nobody else fills. */
function hiddenProblems(form: FormConfig, placed: Placed[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const fieldKeys = new Set(placed.map((p) => p.field.key));
  form.hidden.forEach((h, i) => {
    const path = ['hidden', i];
    if (form.hidden.findIndex((o) => o.key === h.key) !== i)
      problems.push({ path: [...path, 'key'], message: `"${h.key}" appears twice` });
    if (h.query && form.hidden.findIndex((o) => o.query === h.query) !== i)
      problems.push({ path: [...path, 'query'], message: `"${h.query}" is read by another hidden value` });
    if (h.into !== 'context' && fieldKeys.has(h.into))
      problems.push({
        path: [...path, 'into'],
        message: `"${h.into}" is a field of this form: the visitor fills it in`,
      });
    else if (h.into !== 'context' && form.hidden.findIndex((o) => o.into === h.into) !== i)
      problems.push({ path: [...path, 'into'], message: `"${h.into}" is filled by another hidden value` });
    if (h.into === 'context' && h.type)
      problems.push({ path: [...path, 'type'], message: 'type applies to a custom field only' });
  });
  return problems;
}

/** What a condition may read, and what it knows of each answer's type and values. */
function answersOf(form: FormConfig, placed: Placed[]) {
  const answers = new Map<string, { type?: string; values?: string[] }>();
  for (const { field } of placed)
    answers.set(field.key, {
      type: field.type ?? STANDARD_TYPES[field.key] ?? (field.options ? 'select' : undefined),
      values: field.options?.map((o) => o.value),
    });
  if (form.types) answers.set('type', { type: 'select', values: form.types.options.map((t) => t.value) });
  for (const h of form.hidden) answers.set(h.key, {});
  return answers;
}

/** The problem of one simple condition, if any, and the key of the condition it is at. */
function leafProblem(
  leaf: Condition,
  answers: ReturnType<typeof answersOf>,
): { key: string; message: string } | undefined {
  if (!('field' in leaf)) return undefined;
  const noun = leaf.field === 'type' ? 'the request type' : `"${leaf.field}"`;
  const known = answers.get(leaf.field);
  if (!known) return { key: 'field', message: `"${leaf.field}" is not a field of this form` };
  if ('checked' in leaf)
    return known.type && known.type !== 'checkbox'
      ? { key: 'checked', message: `${noun} is not a checkbox` }
      : undefined;
  const key = 'equals' in leaf ? 'equals' : 'oneOf' in leaf ? 'oneOf' : 'notEmpty';
  const wanted = 'equals' in leaf ? [leaf.equals] : 'oneOf' in leaf ? leaf.oneOf : [];
  if (known.type === 'checkbox' && wanted.length > 0)
    return { key, message: `${noun} is a checkbox: use "checked"` };
  const unknown = known.values && wanted.find((v) => !known.values?.includes(v));
  if (unknown !== undefined)
    return { key, message: `"${unknown}" is not one of ${noun}'s values (${known.values?.join(', ')})` };
  return undefined;
}

/** Problems of conditions: what they read, and fields that wait on themselves. */
function conditionProblems(form: FormConfig, placed: Placed[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const answers = answersOf(form, placed);
  const reads = new Map<string, string[]>();
  for (const { field, path } of placed) {
    if (!field.showIf) continue;
    const found = leaves(field.showIf, [...path, 'showIf']);
    reads.set(
      field.key,
      found.flatMap(({ leaf }) => ('field' in leaf ? [leaf.field] : [])),
    );
    for (const { leaf, path: leafPath } of found) {
      const problem = leafProblem(leaf, answers);
      if (problem) problems.push({ path: [...leafPath, problem.key], message: problem.message });
    }
  }
  const reported = new Set<string>();
  for (const { field, path } of placed) {
    const cycle = cycleFrom(field.key, reads);
    if (!cycle || cycle.some((k) => reported.has(k))) continue;
    for (const k of cycle) reported.add(k);
    problems.push({
      path: [...path, 'showIf'],
      message: `${[...cycle, field.key].map((k) => `"${k}"`).join(' → ')} is a cycle: each is shown only after the next`,
    });
  }
  return problems;
}

/** The keys of a cycle through `start` in `reads` (a field → the fields its condition reads), if any. */
function cycleFrom(start: string, reads: Map<string, string[]>): string[] | undefined {
  const walk = (key: string, trail: string[]): string[] | undefined => {
    for (const next of reads.get(key) ?? []) {
      if (next === start) return trail;
      if (trail.includes(next)) continue;
      const found = walk(next, [...trail, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/** Whether every request type gets a subject: a subject field, or its case's subject. */
export const typesGiveSubject = (form: FormConfig) =>
  (form.types?.options ?? []).length > 0 &&
  (form.types?.options ?? []).every((t) => t.case?.subject || t.fields.some((f) => f.key === 'subject'));

/** Every problem of a form's adaptive parts, each at its key. */
export function formRuleProblems(form: FormConfig): RuleProblem[] {
  const placed = placedFields(form);
  return [
    ...placementProblems(form, placed),
    ...hiddenProblems(form, placed),
    ...conditionProblems(form, placed),
  ];
}
