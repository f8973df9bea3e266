/**
 * One widget's state (created per mount, never module-global), in signals: the form definition,
 * the values and files so far, field errors, and where the visitor is — loading, filling in,
 * sending, done, or following a request up. Its parts live beside it: what was typed (draft.ts),
 * the errors shown as fields are left (field-errors.ts), sending (submit.ts). Lookups and the
 * status view (lookup.ts) are a chunk of their own, fetched when the visitor reaches for them
 * (follow.ts).
 */
import { batch, computed, signal } from '@preact/signals';
import type { PublicForm } from '../server/contract';
import { type Api, asError, type WidgetError } from './api';
import { createAttachments } from './attachments';
import type { Challenge } from './captcha';
import { createDraft } from './draft';
import { describe } from './failures';
import { createFieldErrors } from './field-errors';
import { createFollow } from './follow';
import type { WidgetOptions } from './options';
import { createParts } from './parts';
import { en, loadStrings, type Strings, translator } from './strings';
import { createSubmit } from './submit';

// The views take a failure's words from here; submit.ts takes them from failures.ts directly.
export { describe };

export type View = 'loading' | 'failed' | 'form' | 'done' | 'lookup' | 'status';
export type WidgetEvent = 'ready' | 'open' | 'close' | 'submitted' | 'error';

/** What the widget tells its page: events (JS API and window CustomEvents) and the live region. */
export interface Hooks {
  emit(event: WidgetEvent, detail?: Record<string, unknown>): void;
  announce(text: string): void;
  /** Adds a lazy chunk's stylesheet to the shadow root (none outside one: tests). */
  style?(css: string): void;
}

/** The first of the tags the loader passes (the page's choice, or the browser's list in order). */
const first = (tags: string) => tags.replace(/,.*/, '');

/** A form's captcha challenge, for a form that has one. */
const challengeState = () => ({
  /** The challenge's token; '' until passed, and again once spent or expired. */
  token: signal(''),
  /** The challenge could not be loaded (blocked, offline). */
  failed: signal(false),
  /** The rendered challenge (captcha.ts sets it). */
  challenge: signal<Challenge | undefined>(undefined),
});

/** Creates the state of one widget and the actions that change it. */
export function createWidgetState(options: WidgetOptions, locale: string, api: Api, hooks: Hooks) {
  const view = signal<View>('loading');
  const form = signal<PublicForm | undefined>(undefined);
  const lang = signal(first(locale));
  const words = signal<Partial<Strings>>(en);
  // English under every table, for what a table lacks; the lookup chunk brings its own words.
  const english = signal<Partial<Strings>>(en);
  const t = computed(() => translator(lang.value, words.value, options.strings, english.value));
  const error = signal<WidgetError | undefined>(undefined);
  const draft = createDraft(options);
  /** The form token from the last load, and when it came (the minimum fill time counts from then). */
  const token = signal({ token: '', at: 0 });
  const captcha = challengeState();

  const useLocale = async (tag: string) => {
    const table = await loadStrings(tag);
    batch(() => {
      lang.value = first(tag);
      words.value = table;
    });
  };

  const fail = (failure: WidgetError, text: string) => {
    error.value = failure;
    hooks.announce(text);
    hooks.emit('error', { form: options.form, code: failure.code, message: failure.message });
  };

  const parts = createParts({ t, english, hooks, fail, options, form, values: draft.values });
  const checks = createFieldErrors(parts.check, draft.values);
  const files = createAttachments({ form: parts.shown, t, english, hooks, fail });

  /**
   * Loads the form in `locale`. Again with a form on screen (another language, live): the view,
   * the form token and what was typed stay; only the words and labels change.
   */
  const load = async () => {
    const onScreen = form.value;
    if (!onScreen) view.value = 'loading';
    error.value = undefined;
    const loaded = useLocale(locale);
    try {
      const answer = await api.getForm(locale);
      await Promise.all([useLocale(answer.form.locale), parts.prepare(answer.form)]);
      form.value = answer.form;
      if (!onScreen) {
        token.value = { token: answer.formToken, at: Date.now() };
        view.value = 'form';
      }
    } catch (e) {
      await loaded;
      if (!onScreen) view.value = 'failed';
      fail(asError(e), t.value('loadFailed'));
    }
  };

  const sender = createSubmit({
    options,
    api,
    hooks,
    view,
    form: parts.shown,
    check: parts.check,
    t,
    english,
    error,
    fieldErrors: checks.fieldErrors,
    draft,
    files,
    token,
    captcha,
    fail,
  });

  return {
    view,
    form,
    ...parts,
    announce: hooks.announce,
    t,
    error,
    files,
    values: draft.values,
    ...checks,
    ...sender,
    captcha,
    /** The page's CSP nonce, for what the widget adds to the page (a captcha's script). */
    nonce: options.nonce,
    ...createFollow({ options, api, hooks, t, view, english, fail }),
    load,
    /** Another language, live (DeskieForm.setLocale). */
    setLocale(tag: string) {
      locale = tag;
      return load();
    },
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
