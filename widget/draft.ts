/**
 * What the visitor has typed so far. It is kept in sessionStorage until the request is received,
 * so a reload loses nothing, and it wins over the page's prefill when the form comes back.
 */
import { signal } from '@preact/signals';
import type { WidgetOptions } from './options';
import { store } from './storage';

export type Values = Record<string, string | boolean>;

export function createDraft(options: WidgetOptions) {
  const key = `deskie-form:${options.form}:draft`;
  const session = store('sessionStorage');
  const values = signal<Values>({ ...options.prefill, ...session.read<Values>(key) });
  return {
    values,

    /** The visitor changed a field. */
    set(name: string, value: string | boolean) {
      values.value = { ...values.value, [name]: value };
      session.write(key, values.value);
    },

    /** Values from the page (DeskieForm.prefill); they replace what is in those fields. */
    prefill(given: Values) {
      values.value = { ...values.value, ...given };
    },

    /** The request was received: nothing of it stays in the browser. */
    forget() {
      session.write(key, undefined);
    },

    /** A new request: only the page's prefill. */
    restart() {
      values.value = { ...options.prefill };
    },
  };
}

export type Draft = ReturnType<typeof createDraft>;
