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

/** Storage that may be missing or refuse (private mode, sandboxed frames): then nothing is kept. */
function store(kind: 'local' | 'session') {
  const get = () => {
    try {
      return kind === 'local' ? window.localStorage : window.sessionStorage;
    } catch {
      return undefined;
    }
  };
  return {
    read<T>(key: string): T | undefined {
      try {
        const text = get()?.getItem(key);
        return text ? (JSON.parse(text) as T) : undefined;
      } catch {
        return undefined;
      }
    },
    write(key: string, value: unknown) {
      try {
        if (value === undefined) get()?.removeItem(key);
        else get()?.setItem(key, JSON.stringify(value));
      } catch {
        // Full or refused: the form still works, it just does not remember.
      }
    },
  };
}

/** What this browser keeps of a filed request for "My requests": never what was written. */
export interface KeptRequest {
  caseNumber?: string;
  receipt?: string;
  lookupToken: string;
  at: string;
}

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Creates the state of one widget and the actions that change it. */
export function createWidgetState(options: WidgetOptions, api: Api) {
  const draftKey = `deskie-form:${options.form}:draft`;
  const requestsKey = `deskie-form:${options.form}:requests`;
  const session = store('session');
  const local = store('local');
  const view = signal<View>('loading');
  const form = signal<PublicForm | undefined>(undefined);
  // What the visitor typed before a reload wins over the page's prefill.
  const values = signal<Record<string, string | boolean>>({
    ...options.prefill,
    ...session.read<Record<string, string | boolean>>(draftKey),
  });
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
      session.write(draftKey, values.value);
    },

    /** Requests filed from this browser, newest first. */
    keptRequests: () => local.read<KeptRequest[]>(requestsKey) ?? [],

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
        const payload = {
          formToken: token,
          values: { ...values.value, [form.value.honeypot]: '' },
          locale: form.value.locale,
          context,
        };
        let answer: SubmissionResponse;
        try {
          answer = await api.submit(payload, key);
        } catch (e) {
          // Offline: wait for the network, then send the same submission again (same key).
          if (!(e instanceof WidgetError && e.code === 'NETWORK' && !navigator.onLine)) throw e;
          error.value = e;
          await new Promise((resolve) => window.addEventListener('online', resolve, { once: true }));
          error.value = undefined;
          answer = await api.submit(payload, key);
        }
        result.value = answer;
        session.write(draftKey, undefined);
        const kept: KeptRequest = {
          ...(answer.status === 'created' ? { caseNumber: answer.caseNumber } : { receipt: answer.receipt }),
          lookupToken: answer.lookupToken,
          at: new Date().toISOString(),
        };
        local.write(requestsKey, [kept, ...(local.read<KeptRequest[]>(requestsKey) ?? [])].slice(0, 20));
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
