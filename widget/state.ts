/**
 * One widget's state (created per mount, never module-global): the form definition, the values
 * typed so far, field errors, and where the visitor is — loading, filling in, sending, done.
 */
import { signal } from '@preact/signals';
import {
  createValidator,
  type FieldErrorCode,
  type PublicForm,
  type SubmissionResponse,
} from '../server/contract';
import { type Api, WidgetError } from './api';
import type { WidgetOptions } from './options';

export type View = 'loading' | 'failed' | 'form' | 'done';

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Creates the state of one widget and the actions that change it. */
export function createWidgetState(options: WidgetOptions, api: Api) {
  const view = signal<View>('loading');
  const form = signal<PublicForm | undefined>(undefined);
  const values = signal<Record<string, string | boolean>>({ ...options.prefill });
  const fieldErrors = signal<Record<string, FieldErrorCode>>({});
  const sending = signal(false);
  const error = signal<WidgetError | undefined>(undefined);
  const result = signal<SubmissionResponse | undefined>(undefined);
  let token = '';
  let validate: ReturnType<typeof createValidator> = () => ({ ok: true, values: {} });
  // One key per submission, reused by every retry of it: a retry can never file a second case.
  let key = newKey();

  const load = async () => {
    view.value = 'loading';
    try {
      const answer = await api.getForm(options.locale);
      form.value = answer.form;
      token = answer.formToken;
      validate = createValidator(answer.form);
      view.value = 'form';
    } catch (e) {
      error.value = e instanceof WidgetError ? e : new WidgetError('NETWORK', String(e));
      view.value = 'failed';
    }
  };

  return {
    view,
    form,
    values,
    fieldErrors,
    sending,
    error,
    result,
    load,

    setValue(name: string, value: string | boolean) {
      values.value = { ...values.value, [name]: value };
    },

    /** Checks one field (on blur): shows or clears its error. */
    checkField(name: string) {
      const outcome = validate(values.value);
      const next = { ...fieldErrors.value };
      const problem = outcome.ok ? undefined : outcome.fields[name];
      if (problem) next[name] = problem;
      else delete next[name];
      fieldErrors.value = next;
    },

    /** Validates everything, then sends; true when the request was received. */
    async submit(): Promise<boolean> {
      if (sending.value || !form.value) return false;
      const checked = validate(values.value);
      if (!checked.ok) {
        fieldErrors.value = checked.fields;
        return false;
      }
      fieldErrors.value = {};
      error.value = undefined;
      sending.value = true;
      try {
        const context = {
          pageUrl: location.href,
          referrer: document.referrer || undefined,
          locale: navigator.language,
        };
        result.value = await api.submit(
          {
            formToken: token,
            values: { ...values.value, [form.value.honeypot]: '' },
            locale: form.value.locale,
            context,
          },
          key,
        );
        view.value = 'done';
        return true;
      } catch (e) {
        const failure = e instanceof WidgetError ? e : new WidgetError('NETWORK', String(e));
        if (failure.code === 'VALIDATION_FAILED' && failure.fields) fieldErrors.value = failure.fields;
        // An expired form gets a fresh token; the visitor just sends again.
        if (failure.code === 'FORM_TOKEN_INVALID')
          token = (await api.getForm(options.locale).catch(() => undefined))?.formToken ?? token;
        error.value = failure;
        return false;
      } finally {
        sending.value = false;
      }
    },

    /** After success: an empty form and a new submission key. */
    reset() {
      key = newKey();
      values.value = { ...options.prefill };
      result.value = undefined;
      view.value = 'form';
    },
  };
}

export type WidgetState = ReturnType<typeof createWidgetState>;
