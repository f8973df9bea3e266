/**
 * Sending a request. One Idempotency-Key per submission, reused by every retry of it — after a
 * timeout (up to three tries), when the network comes back, once with a fresh form token — so a
 * retry can never file a second case.
 */
import { type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type {
  FieldErrorCode,
  PublicForm,
  SubmissionResponse,
  Validation,
  ValidValues,
} from '../server/contract';
import { type Api, asError, WidgetError } from './api';
import type { Attachments } from './attachments';
import type { Draft, Values } from './draft';
import { describe } from './failures';
import { type LaterContext, later } from './later';
import type { WidgetOptions } from './options';
import type { View } from './state';
import { keptRequests } from './storage';

/** Attempts for a submission that times out, each with the same key, before the visitor is told. */
const TIMEOUT_ATTEMPTS = 3;

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** What sending shares with the rest of one widget's state (state.ts). */
export interface SubmitContext extends LaterContext {
  options: WidgetOptions;
  api: Api;
  view: Signal<View>;
  /** The form as it stands for the answers (an adaptive form's chosen type, its files). */
  form: ReadonlySignal<PublicForm | undefined>;
  /** The form's rules, as the server applies them. */
  check(values: Values): Validation;
  error: Signal<WidgetError | undefined>;
  fieldErrors: Signal<Record<string, FieldErrorCode>>;
  draft: Draft;
  files: Attachments;
  /** The form token from the last load, and when it came: the minimum fill time counts from then. */
  token: Signal<{ token: string; at: number }>;
  /** The captcha challenge, for a form that has one: its token, and a fresh challenge after a failure. */
  captcha: { token: Signal<string>; challenge: Signal<{ reset(): void } | undefined> };
}

/**
 * The body of a submission: the checked values (a field not shown sends nothing), the honeypot's,
 * and where the visitor was.
 */
const bodyOf = (
  options: WidgetOptions,
  f: PublicForm,
  sent: { values: ValidValues; honeypot: string; formToken: string; captchaToken: string },
) => ({
  formToken: sent.formToken,
  captchaToken: sent.captchaToken || undefined,
  values: { ...sent.values, [f.honeypot]: sent.honeypot },
  locale: f.locale,
  identityToken: options.userToken,
  context: {
    pageUrl: location.href,
    referrer: document.referrer || undefined,
    locale: navigator.language,
    extra: Object.keys(options.context).length ? options.context : undefined,
  },
});

export function createSubmit(ctx: SubmitContext) {
  const { options, api, hooks, view, form, t, error, fieldErrors, draft, files, token, captcha, fail } = ctx;
  const sending = signal(false);
  // The summary appears once a send was tried (not on blur, when it would be out of place).
  const tried = signal(false);
  const result = signal<SubmissionResponse | undefined>(undefined);
  const kept = keptRequests(options.form);
  /** The answer's view (done.ts), fetched as the visitor reaches for Send. */
  const answer = later(
    ctx,
    () => import('./done'),
    (m) => m.DoneView,
  );
  /** The Idempotency-Key of this submission, the same for every retry of it. */
  const key = signal(newKey());

  /** Sends the submission until it is received, or until a failure the visitor must hear of. */
  const send = async (f: PublicForm, values: ValidValues, honeypot: string) => {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      // Faster than the form's minimum fill time reads as a bot's: wait it out (with a margin).
      const early = token.value.at + ((f.minFillSeconds ?? 0) + 0.5) * 1000 - Date.now();
      if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
      try {
        // A request type that takes no files sends none of those chosen under another.
        const chosen = f.attachments ? files.list.value : [];
        const sent = { values, honeypot, formToken: token.value.token, captchaToken: captcha.token.value };
        return await api.submit(bodyOf(options, f, sent), key.value, chosen, files.uploaded);
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
          token.value = { token: (await api.getForm(f.locale)).formToken, at: Date.now() };
        } else if (failure.code !== 'TIMEOUT' || attempt >= TIMEOUT_ATTEMPTS) throw failure;
      }
    }
  };

  /** The request is in: its number (or receipt) for the visitor and the page, kept for lookups. */
  const received = (answer: SubmissionResponse) => {
    const created = answer.status === 'created';
    const number = created ? answer.caseNumber : answer.receipt;
    const ref = created ? { caseNumber: number } : { receipt: number };
    result.value = answer;
    draft.forget();
    files.clear();
    kept.add({ ...ref, lookupToken: answer.lookupToken, at: new Date().toISOString() });
    view.value = 'done';
    hooks.announce(`${t.value('sent')} ${number}`);
    hooks.emit('submitted', { form: options.form, status: answer.status, ...ref });
  };

  return {
    sending,
    tried,
    result,
    /** The answer's view, once here. */
    doneView: answer.ready,
    /** The visitor reaches for Send: fetch the answer's view now. */
    prefetchDone: answer.prefetch,

    /** Validates everything, then sends; true when the request was received. */
    async submit(honeypot = ''): Promise<boolean> {
      const f = form.value;
      if (sending.value || !f) return false;
      tried.value = true;
      const checked = ctx.check(draft.values.value);
      error.value = undefined;
      if (!checked.ok) {
        fieldErrors.value = checked.fields;
        hooks.announce(t.value('summary'));
        return false;
      }
      fieldErrors.value = {};
      if (f.captcha && !captcha.token.value) {
        fail(new WidgetError('CAPTCHA_REQUIRED', 'the challenge is not passed yet'), t.value('CAPTCHA'));
        return false;
      }
      sending.value = true;
      hooks.announce(t.value('sending'));
      try {
        // Not sent before the answer's view is here: a request received is always said so.
        await answer.load();
        received(await send(f, checked.values, honeypot));
        return true;
      } catch (e) {
        const failure = asError(e);
        if (failure.code === 'VALIDATION_FAILED' && failure.fields) fieldErrors.value = failure.fields;
        // The server may have spent the token checking it: the next send needs a fresh challenge.
        captcha.challenge.value?.reset();
        fail(failure, `${t.value('failed')} ${describe(failure, t.value)}`);
        return false;
      } finally {
        sending.value = false;
        files.uploaded();
      }
    },

    /** After a request was received: the next one is a new submission, with a new key. */
    startOver() {
      key.value = newKey();
      tried.value = false;
      result.value = undefined;
    },
  };
}
