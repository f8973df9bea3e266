/**
 * The errors shown beside fields. Each field is checked when the visitor leaves it — but an error
 * that appeared on the blur a pointer press causes would push the button being pressed away before
 * the pointer comes up and swallow the click, so during a press the checks wait until it is over.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import type { FieldErrorCode, Validation } from '../server/contract';
import type { Values } from './draft';

/** `check`: the form's rules (state.ts), as the server applies them. */
export function createFieldErrors(check: (values: Values) => Validation, values: ReadonlySignal<Values>) {
  const fieldErrors = signal<Record<string, FieldErrorCode>>({});
  let pressed: Set<string> | undefined;

  /** Checks one field (on blur): shows or clears its error. */
  const checkField = (name: string) => {
    if (pressed) {
      pressed.add(name);
      return;
    }
    const outcome = check(values.value);
    const next = { ...fieldErrors.value };
    const problem = outcome.ok ? undefined : outcome.fields[name];
    if (problem) next[name] = problem;
    else delete next[name];
    fieldErrors.value = next;
  };

  /** The press is over: the fields left meanwhile are checked now. */
  const release = () => {
    const names = pressed;
    setTimeout(() => {
      pressed = undefined;
      for (const name of names ?? []) checkField(name);
    });
  };

  return {
    fieldErrors,
    checkField,
    release,

    /** A pointer went down on the form: blur checks wait until it comes up (or is cancelled). */
    press() {
      if (pressed) return;
      pressed = new Set();
      // Wherever the pointer comes up (or the press is cancelled), the press is over.
      const over = () => {
        window.removeEventListener('pointerup', over, true);
        window.removeEventListener('pointercancel', over, true);
        release();
      };
      window.addEventListener('pointerup', over, true);
      window.addEventListener('pointercancel', over, true);
    },
  };
}
