/**
 * The visitor's reply to their request, from its status view: words and files (the attach chunk's
 * checks and list, fetched when reached for, as in the form), sent as the case's customer under the
 * same authority the lookup had. One Idempotency-Key per reply, kept until the backend answers: a
 * retry after a cut or a timeout is the same reply, which the backend files once. A refusal is an
 * answer — nothing was stored — so the next try is a new reply with a new key.
 */
import { signal } from '@preact/signals';
import type { PublicForm, ReplyResponse } from '../server/contract';
import { asError, TIMEOUT_MS, type WidgetError } from './api';
import type { Files } from './files';
import type { FollowContext } from './follow';
import { later } from './later';
import type { StatusRequest } from './lookup';

/** Failures after which the reply may have been stored: the next try must carry the same key. */
const UNANSWERED = [
  'NETWORK',
  'TIMEOUT',
  'BAD_RESPONSE',
  'INTERNAL_ERROR',
  'DESKIE_UNAVAILABLE',
  'NOT_READY',
];

const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

export function createReply(ctx: FollowContext, refresh: () => Promise<void>) {
  const attach = later(
    ctx,
    () => import('./attach'),
    (chunk) => chunk,
  );
  const files = signal<Files | undefined>(undefined);
  const text = signal('');
  const sending = signal(false);
  const error = signal<WidgetError | undefined>(undefined);
  /** How the last reply went: in the case (`sent`), or stored to follow (`queued`). */
  const outcome = signal<ReplyResponse['status'] | undefined>(undefined);
  let key: string | undefined;

  return {
    text,
    sending,
    error,
    outcome,
    files,
    /** The attach chunk (its file list), once here. */
    attached: attach.ready,
    prefetch: attach.prefetch,

    /** Takes the files the form's policy allows, once the attach chunk is here. */
    add(form: PublicForm | undefined, offered: Iterable<File>) {
      const chosen = [...offered];
      return attach.with((chunk) => {
        files.value ??= chunk.createFiles(signal(form), ctx.t);
        files.value.add(chosen);
      });
    },

    /** Another request is shown: what was said about the last one's reply goes. */
    forget() {
      error.value = undefined;
      outcome.value = undefined;
    },

    /** Sends the reply for the request `to` (the lookup's own authority). */
    async send(to: StatusRequest) {
      const words = text.value.trim();
      const list = files.value?.list.value ?? [];
      if (sending.value || (!words && list.length === 0)) return;
      sending.value = true;
      error.value = undefined;
      outcome.value = undefined;
      key ??= newKey();
      let body: string | FormData = JSON.stringify({ ...to, text: words });
      if (list.length > 0) {
        const form = new FormData();
        form.append('payload', body);
        for (const file of list) form.append('attachments', file, file.name);
        body = form;
      }
      try {
        const { json } = await ctx.api.call(
          'POST',
          '/replies',
          (j) => j.status === 'sent' || j.status === 'queued',
          {
            body,
            key,
            timeout: TIMEOUT_MS + (files.value?.total.value ?? 0) / 50,
            onProgress: (loaded, total) => files.value?.uploaded(loaded, total),
          },
        );
        key = undefined;
        text.value = '';
        files.value?.clear();
        outcome.value = json.status;
        ctx.hooks.announce(ctx.t.value(json.status === 'sent' ? 'replySent' : 'replyQueued'));
        await refresh();
      } catch (e) {
        const failure = asError(e);
        if (!UNANSWERED.includes(failure.code)) key = undefined;
        error.value = failure;
        ctx.hooks.emit('error', { form: ctx.options.form, code: failure.code, message: failure.message });
      } finally {
        files.value?.uploaded();
        sending.value = false;
      }
    },
  };
}

export type Reply = ReturnType<typeof createReply>;
