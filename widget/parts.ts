/**
 * The parts only some forms have, each a chunk fetched with the definition of a form that needs it
 * (and before that form shows): a form with request types, conditions, hidden values or consent
 * brings its rules (adaptive.ts) — which decide what shows and what is sent, as server/rules.ts
 * decides on the server; a form with a captcha brings the challenge (captcha.ts). A plain form's
 * fields are checked here (validate.ts), and its visitor downloads neither.
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import type { PublicForm } from '../server/contract';
import type { Values } from './draft';
import { type LaterContext, later } from './later';
import type { WidgetOptions } from './options';
import { validate } from './validate';

/** Whether a form has rules beyond plain fields: request types, conditions, hidden values, consent. */
const adapts = (form: PublicForm) =>
  !!(form.types || form.hidden || form.consent || form.fields.some((f) => f.showIf));

export function createParts(
  ctx: LaterContext & {
    options: WidgetOptions;
    form: ReadonlySignal<PublicForm | undefined>;
    values: ReadonlySignal<Values>;
  },
) {
  const { form } = ctx;
  const adaptive = later(
    ctx,
    () => import('./adaptive'),
    (m) => ({
      Top: m.Top,
      Bottom: m.Bottom,
      ...m.createAdaptive({
        form,
        values: ctx.values,
        hidden: ctx.options.hidden,
      }),
    }),
  );
  const captcha = later(
    ctx,
    () => import('./captcha'),
    (m) => m,
  );
  return {
    /** An adaptive form's parts, once here. */
    adaptive: adaptive.ready,
    /** A captcha form's challenge, once here. */
    challenge: captcha.ready,
    /** Fetches what `loaded` needs before it can be shown (nothing for a plain form). */
    prepare: (loaded: PublicForm) =>
      Promise.all([adapts(loaded) && adaptive.load(), loaded.captcha && captcha.load()]),
    /** The form as it stands for the answers so far: an adaptive form's chosen type and shown fields. */
    shown: computed(() => adaptive.ready.value?.form.value ?? form.value),
    /** Checks answers as the server will. */
    check: (values: Values) =>
      adaptive.ready.value?.check(values) ?? validate(form.value?.fields ?? [], values),
  };
}
