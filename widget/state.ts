/**
 * One widget's state (created per mount, never module-global): the form definition, the values
 * and files so far, field errors, and where the visitor is — loading, filling in, sending, done,
 * or looking a request up. Its parts live beside it: what was typed (draft.ts), the errors shown
 * as fields are left (field-errors.ts), sending (submit.ts), lookups (lookup.ts).
 */
import type { PublicForm } from '../server/contract';
import { type Api, asError, type WidgetError } from './api';
import type { Challenge } from './captcha';
import { createCells } from './cells';
import { createDraft } from './draft';
import { createFieldErrors } from './field-errors';
import { createFiles } from './files';
import { createLookup } from './lookup';
import type { WidgetOptions } from './options';
import { en, loadStrings, type Translate, translator } from './strings';
import { createSubmit } from './submit';

// The views take a failure's words from here; submit.ts takes them from failures.ts directly.
export { describe } from './failures';

export type View = 'loading' | 'failed' | 'form' | 'done' | 'lookup' | 'status';
export type WidgetEvent = 'ready' | 'open' | 'close' | 'submitted' | 'error';

/** What the widget tells its page: events (JS API and window CustomEvents) and the live region. */
export interface Hooks {
  emit(event: WidgetEvent, detail?: Record<string, unknown>): void;
  announce(text: string): void;
}

/** Creates the state of one widget and the actions that change it. */
export function createWidgetState(options: WidgetOptions, locale: string, api: Api, hooks: Hooks) {
  const cells = createCells();
  const signal = cells.cell;
  const view = signal<View>('loading');
  const form = signal<PublicForm | undefined>(undefined);
  const t = signal<Translate>(translator(locale, en, options.strings));
  const error = signal<WidgetError | undefined>(undefined);
  const draft = createDraft(signal, options);
  const checks = createFieldErrors(signal, form, draft.values);
  const files = createFiles(signal, form, t);
  const token = { value: '', at: 0 };
  const captcha = {
    /** The challenge's token; '' until passed, and again once spent or expired. */
    token: signal(''),
    /** The challenge could not be loaded (blocked, offline). */
    failed: signal(false),
    /** The rendered challenge (CaptchaSlot.tsx sets it). */
    challenge: undefined as Challenge | undefined,
  };

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
      token.value = answer.formToken;
      token.at = Date.now();
      view.value = 'form';
    } catch (e) {
      await words;
      view.value = 'failed';
      fail(asError(e), t.value('loadFailed'));
    }
  };

  const { fieldErrors } = checks;
  const sender = createSubmit(signal, {
    options,
    api,
    hooks,
    view,
    form,
    t,
    error,
    fieldErrors,
    draft,
    files,
    token,
    captcha,
    fail,
  });

  return {
    view,
    form,
    t,
    error,
    files,
    values: draft.values,
    ...checks,
    ...sender,
    captcha,
    /** The page's CSP nonce, for what the widget adds to the page (a captcha's script). */
    nonce: options.nonce,
    lookup: createLookup(signal, options.form, api, t, view, hooks),
    cell: signal,
    subscribe: cells.subscribe,
    load,
    setValue: draft.set,
    prefill: draft.prefill,

    /** After success (or to leave a lookup): the form again, empty, with a new submission key. */
    reset() {
      if (sender.result.value) {
        sender.startOver();
        draft.restart();
      }
      view.value = form.value ? 'form' : 'loading';
      if (!form.value) void load();
    },
  };
}

export type WidgetState = ReturnType<typeof createWidgetState>;
