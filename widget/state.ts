/**
 * One widget's state (created per mount, never module-global): the form definition, the values
 * and files so far, field errors, and where the visitor is — loading, filling in, sending, done,
 * or looking a request up (lookup.ts).
 */
import type { FieldErrorCode, PublicForm, SubmissionResponse } from '../server/contract';
import { type Api, asError, WidgetError, type WidgetErrorCode } from './api';
import { createCells } from './cells';
import { createFiles } from './files';
import { createLookup } from './lookup';
import type { WidgetOptions } from './options';
import { keptRequests, store } from './storage';
import { en, loadStrings, type StringKey, type Translate, translator } from './strings';
import { validate } from './validate';

export type View = 'loading' | 'failed' | 'form' | 'done' | 'lookup' | 'status';
export type WidgetEvent = 'ready' | 'open' | 'close' | 'submitted' | 'error';

/** What the widget tells its page: events (JS API and window CustomEvents) and the live region. */
export interface Hooks {
  emit(event: WidgetEvent, detail?: Record<string, unknown>): void;
  announce(text: string): void;
}

type Values = Record<string, string | boolean>;

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Attempts for a submission that times out, each with the same key, before the visitor is told. */
const TIMEOUT_ATTEMPTS = 3;

/** Creates the state of one widget and the actions that change it. */
export function createWidgetState(options: WidgetOptions, locale: string, api: Api, hooks: Hooks) {
  const draftKey = `deskie-form:${options.form}:draft`;
  const session = store('sessionStorage');
  const kept = keptRequests(options.form);
  const cells = createCells();
  const signal = cells.cell;
  const view = signal<View>('loading');
  const form = signal<PublicForm | undefined>(undefined);
  const t = signal<Translate>(translator(locale, en, options.strings));
  // What the visitor typed before a reload wins over the page's prefill.
  const values = signal<Values>({ ...options.prefill, ...session.read<Values>(draftKey) });
  const fieldErrors = signal<Record<string, FieldErrorCode>>({});
  const sending = signal(false);
  // The summary appears once a send was tried (not on blur, when it would be out of place).
  const tried = signal(false);
  const error = signal<WidgetError | undefined>(undefined);
  const result = signal<SubmissionResponse | undefined>(undefined);
  const files = createFiles(signal, form, t);
  let token = '';
  let tokenAt = 0;
  let pressed: Set<string> | undefined;
  // One key per submission, reused by every retry of it: a retry can never file a second case.
  let key = newKey();

  const useLocale = async (tag: string) => {
    t.value = translator(tag, await loadStrings(tag), options.strings);
  };

  const fail = (failure: WidgetError, text: string) => {
    error.value = failure;
    hooks.announce(text);
    hooks.emit('error', { form: options.form, code: failure.code, message: failure.message });
  };

  const load = async () => {
    view.value = 'loading';
    error.value = undefined;
    const words = useLocale(locale);
    try {
      const answer = await api.getForm(locale);
      await useLocale(answer.form.locale);
      form.value = answer.form;
      token = answer.formToken;
      tokenAt = Date.now();
      view.value = 'form';
    } catch (e) {
      await words;
      view.value = 'failed';
      fail(asError(e), t.value('loadFailed'));
    }
  };

  const send = async (honeypot: string) => {
    const f = form.value as PublicForm;
    const payload = () => ({
      formToken: token,
      values: { ...values.value, [f.honeypot]: honeypot },
      locale: f.locale,
      context: {
        pageUrl: location.href,
        ...(document.referrer ? { referrer: document.referrer } : {}),
        locale: navigator.language,
        ...(Object.keys(options.context).length ? { extra: options.context } : {}),
      },
    });
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      // Faster than the form's minimum fill time reads as a bot's: wait it out (with a margin).
      const early = tokenAt + ((f.minFillSeconds ?? 0) + 0.5) * 1000 - Date.now();
      if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
      try {
        return await api.submit(payload(), key, files.list.value, files.uploaded);
      } catch (e) {
        const failure = asError(e);
        if (failure.code === 'NETWORK' && !navigator.onLine) {
          // Offline: wait for the network, then send the same submission again (same key).
          fail(new WidgetError('OFFLINE', 'offline: waiting to resend'), t.value('OFFLINE'));
          await new Promise((resolve) => window.addEventListener('online', resolve, { once: true }));
          error.value = undefined;
        } else if (failure.code === 'FORM_TOKEN_INVALID' && !refreshed) {
          // The page sat open for hours: a fresh token, and the same submission again.
          refreshed = true;
          token = (await api.getForm(f.locale)).formToken;
          tokenAt = Date.now();
        } else if (failure.code !== 'TIMEOUT' || attempt >= TIMEOUT_ATTEMPTS) throw failure;
      }
    }
  };

  return {
    view,
    form,
    t,
    values,
    fieldErrors,
    sending,
    tried,
    error,
    result,
    files,

    lookup: createLookup(signal, options.form, api, t, view, hooks),
    cell: signal,
    subscribe: cells.subscribe,
    load,

    setValue(name: string, value: string | boolean) {
      values.value = { ...values.value, [name]: value };
      session.write(draftKey, values.value);
    },

    /** Values from the page (DeskieForm.prefill); they replace what is in those fields. */
    prefill(given: Values) {
      values.value = { ...values.value, ...given };
    },

    /** Checks one field (on blur): shows or clears its error. */
    checkField(name: string) {
      if (pressed) {
        pressed.add(name);
        return;
      }
      const outcome = validate(form.value?.fields ?? [], values.value);
      const next = { ...fieldErrors.value };
      const problem = outcome.ok ? undefined : outcome.fields[name];
      if (problem) next[name] = problem;
      else delete next[name];
      fieldErrors.value = next;
    },

    /**
     * A pointer went down on the form. An error that appeared now, on the blur this causes, would
     * push the button being pressed away before the pointer comes up and swallow the click; blur
     * checks wait until the press is over.
     */
    press() {
      if (pressed) return;
      pressed = new Set();
      // Wherever the pointer comes up (or the press is cancelled), the press is over.
      const over = () => {
        window.removeEventListener('pointerup', over, true);
        window.removeEventListener('pointercancel', over, true);
        this.release();
      };
      window.addEventListener('pointerup', over, true);
      window.addEventListener('pointercancel', over, true);
    },
    release() {
      const names = pressed;
      setTimeout(() => {
        pressed = undefined;
        for (const name of names ?? []) this.checkField(name);
      });
    },

    /** Validates everything, then sends; true when the request was received. */
    async submit(honeypot = ''): Promise<boolean> {
      const f = form.value;
      if (sending.value || !f) return false;
      tried.value = true;
      const checked = validate(f.fields, values.value);
      error.value = undefined;
      if (!checked.ok) {
        fieldErrors.value = checked.fields;
        hooks.announce(t.value('summary'));
        return false;
      }
      fieldErrors.value = {};
      sending.value = true;
      hooks.announce(t.value('sending'));
      try {
        const answer = await send(honeypot);
        const created = answer.status === 'created';
        const number = created ? answer.caseNumber : answer.receipt;
        const ref = created ? { caseNumber: number } : { receipt: number };
        result.value = answer;
        session.write(draftKey, undefined);
        files.clear();
        kept.add({
          ...ref,
          lookupToken: answer.lookupToken,
          at: new Date().toISOString(),
        });
        view.value = 'done';
        hooks.announce(`${t.value('sent')} ${number}`);
        hooks.emit('submitted', {
          form: options.form,
          status: answer.status,
          ...ref,
        });
        return true;
      } catch (e) {
        const failure = asError(e);
        if (failure.code === 'VALIDATION_FAILED' && failure.fields) fieldErrors.value = failure.fields;
        fail(failure, `${t.value('failed')} ${describe(failure, t.value)}`);
        return false;
      } finally {
        sending.value = false;
        files.uploaded();
      }
    },

    /** After success (or to leave a lookup): the form again, empty, with a new submission key. */
    reset() {
      if (result.value) {
        key = newKey();
        tried.value = false;
        values.value = { ...options.prefill };
        result.value = undefined;
      }
      view.value = form.value ? 'form' : 'loading';
      if (!form.value) void load();
    },
  };
}

/** The words for each failure the visitor can act on; any other is SERVER. */
const SAY: Partial<Record<WidgetErrorCode, StringKey>> = {
  RATE_LIMITED: 'RATE_LIMITED',
  DESKIE_UNAVAILABLE: 'UNAVAILABLE',
  NOT_READY: 'UNAVAILABLE',
  NETWORK: 'NETWORK',
  OFFLINE: 'OFFLINE',
  TIMEOUT: 'TIMEOUT',
  FORM_TOKEN_INVALID: 'FORM_TOKEN_INVALID',
  NOT_FOUND: 'NOT_FOUND',
  VALIDATION_FAILED: 'summary',
  ATTACHMENT_TOO_LARGE: 'ATTACHMENT_REFUSED',
  ATTACHMENT_TYPE_NOT_ALLOWED: 'ATTACHMENT_REFUSED',
  TOO_MANY_ATTACHMENTS: 'ATTACHMENT_REFUSED',
  PAYLOAD_TOO_LARGE: 'ATTACHMENT_REFUSED',
  UNSUPPORTED_MEDIA_TYPE: 'ATTACHMENT_REFUSED',
};

/** The visitor-facing words for a failure (with when to try again, where the server said). */
export const describe = (error: WidgetError, t: Translate): string =>
  t(SAY[error.code] ?? 'SERVER', {
    seconds: t.unit(Math.max(1, Math.ceil(error.retryAfter ?? 30)), 'second'),
  });

export type WidgetState = ReturnType<typeof createWidgetState>;
