/**
 * The form's rules on the widget's side. A plain form's fields are checked here (validate.ts);
 * a form with request types, conditions, hidden values or consent brings its own chunk
 * (adaptive.ts), fetched with its definition, and that chunk decides what shows and what is sent
 * — as server/rules.ts decides on the server.
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

export function createRules(
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
        hidden: (ctx.options as { hidden?: Record<string, string> }).hidden ?? {},
      }),
    }),
  );
  return {
    /** An adaptive form's parts, once here. */
    adaptive: adaptive.ready,
    /** Fetches what `loaded` needs before it can be shown (nothing for a plain form). */
    prepare: (loaded: PublicForm) => adapts(loaded) && adaptive.load(),
    /** The form as it stands for the answers so far: an adaptive form's chosen type and shown fields. */
    shown: computed(() => adaptive.ready.value?.form.value ?? form.value),
    /** Checks answers as the server will. */
    check: (values: Values) =>
      adaptive.ready.value?.check(values) ?? validate(form.value?.fields ?? [], values),
  };
}
