/**
 * An adaptive form as the visitor answers it: which fields show, which title, intro and files the
 * chosen request type brings, the hidden values the page set, and the check before sending — all
 * by the rules the server applies again (server/rules.ts). Part of the adaptive chunk (adaptive.ts).
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import type { PublicForm, Validation } from '../server/contract';
import { attachmentsFor, CONSENT_KEY, chosenType, compileRules, TYPE_KEY } from '../server/rules';
import type { Values } from './draft';
import { validate } from './validate';
import { validateCompiled } from './validate-form';

export interface AdaptiveContext {
  form: ReadonlySignal<PublicForm | undefined>;
  /** What the visitor answered so far, with the page's prefill. */
  values: ReadonlySignal<Values>;
  /** The page's hidden values (`data-hidden-<key>`, the `hidden` option). */
  hidden: Record<string, string>;
}

/** The page's URL query parameter `name`, if given. */
const query = (name: string | undefined) =>
  name ? (new URLSearchParams(location.search).get(name) ?? undefined) : undefined;

/**
 * The hidden values the form takes, from the page: `DeskieForm.prefill`, else `data-hidden-<key>`
 * (the `hidden` option), else the URL query parameter the form names. One the form's rules refuse
 * (too long, not one of its options) is left out with a word on the console: the visitor cannot
 * mend what they never see, and their request must still go.
 */
function pageValues(form: PublicForm, given: Record<string, string>, values: Values): Values {
  const taken: Values = {};
  for (const rule of form.hidden ?? []) {
    const value = values[rule.key] ?? given[rule.key] ?? query(rule.query);
    if (value === undefined) continue;
    const checked = validate([{ ...rule, required: false }], { [rule.key]: value });
    if (checked.ok) Object.assign(taken, checked.values);
    else console.warn(`[deskie-form] hidden value "${rule.key}" left out:`, checked.fields[rule.key]);
  }
  return taken;
}

export function createAdaptive(ctx: AdaptiveContext) {
  const rules = computed(() => ctx.form.value && compileRules(ctx.form.value));
  /** The answers with the page's hidden values in place of whatever the draft held under their keys. */
  const answers = (values: Values): Values => {
    const form = ctx.form.value;
    if (!form) return values;
    const own = { ...values };
    for (const rule of form.hidden ?? []) delete own[rule.key];
    return { ...own, ...pageValues(form, ctx.hidden, values) };
  };

  /** The form as it stands for these answers: the chosen type's texts and files, the fields shown. */
  const shown = computed((): PublicForm | undefined => {
    const form = ctx.form.value;
    if (!form) return undefined;
    const values = answers(ctx.values.value);
    const keys = new Set(rules.value?.applicable(values).map((r) => r.key));
    const type = chosenType(form, values);
    return {
      ...form,
      title: type?.title ?? form.title,
      intro: type?.intro ?? form.intro,
      fields: form.fields.filter((f) => keys.has(f.key)),
      attachments: attachmentsFor(form, values),
    };
  });

  return {
    form: shown,
    /** What the error summary lists, in the order it is shown: the type, the fields, consent. */
    order: computed(() => {
      const form = shown.value;
      if (!form) return [];
      return [
        ...(form.types ? [{ key: TYPE_KEY, label: form.types.label }] : []),
        ...form.fields,
        ...(form.consent ? [{ key: CONSENT_KEY, label: form.consent.label }] : []),
      ];
    }),
    /** Checks the answers as the server will: only what applies, the page's hidden values with them. */
    check(values: Values): Validation {
      const all = answers(values);
      return rules.value ? validateCompiled(rules.value, all) : validate([], all);
    },
  };
}

export type Adaptive = ReturnType<typeof createAdaptive>;
