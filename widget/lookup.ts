/**
 * Following a request up, without an account: by the lookup token this browser kept when it was
 * filed ("Your requests"), or by case number + the email it was filed with. This module is a chunk
 * of its own with its views and their English words — a visitor who only files a request never
 * downloads it; state.ts fetches it when the visitor reaches for "Check a request" or "Check status".
 */
import { signal } from '@preact/signals';
import type { StatusRequest as StatusBody, StatusResponse } from '../server/contract';
import type { Api } from './api';
import { asError, type WidgetError } from './api';
import type { FollowContext } from './follow';
import { createMine } from './mine';
import { createReply } from './reply';
import { keptRequests } from './storage';

export { Follow } from './components/Follow';
export { default as css } from './lookup.css?inline';
export { enLookup as en } from './strings/en-lookup';

/** One request to look up: by the token this browser kept, or by case number + email. */
export type StatusRequest = { token: string } | { caseNumber: string; email: string };

/** The status of one request, by lookup token or by case number + email (only this chunk asks). */
export async function readStatus(api: Api, request: StatusBody): Promise<StatusResponse> {
  const { json } = await api.call(
    'POST',
    '/status',
    (j) => typeof j.status === 'string' && typeof j.statusLabel === 'string',
    { body: JSON.stringify(request) },
  );
  return json;
}

export function createLookup(ctx: FollowContext) {
  const { api, t, view, hooks } = ctx;
  const form = ctx.options.form;
  const kept = keptRequests(form);
  /** Notes the case number of a request that was queued when it was filed. */
  const numbered = (lookupToken: string, caseNumber: string) => {
    const all = kept.list();
    const entry = all.find((r) => r.lookupToken === lookupToken);
    if (entry && entry.caseNumber !== caseNumber) {
      entry.caseNumber = caseNumber;
      kept.save(all);
    }
  };
  const status = signal<StatusResponse | undefined>(undefined);
  const looking = signal(false);
  const error = signal<WidgetError | undefined>(undefined);
  /** The request shown, as it was asked for: replies go with the same authority. */
  let shown: StatusRequest | undefined;
  /** When the status shown was answered (its file links are good for an hour from then). */
  const at = signal(0);
  /** Asks for the status of the request shown again: its thread, fresh file links. */
  const refresh = async () => {
    if (!shown) return;
    try {
      status.value = await readStatus(api, { ...shown, locale: t.value.locale });
      at.value = Date.now();
    } catch {}
  };
  const reply = createReply(ctx, refresh);
  const mine = createMine(ctx);
  void mine.load();

  return {
    status,
    looking,
    error,
    /** The visitor's reply to the request shown. */
    reply,
    /** A signed-in customer's requests, from Deskie. */
    mine,
    at,
    options: ctx.options,
    /** The backend's address (file links are under it). */
    base: (ctx.options.endpoint ?? '').replace(/\/+$/, ''),
    refresh,
    /** Sends the reply box's words and files to the request shown. */
    answer: () => (shown ? reply.send(shown) : Promise.resolve()),
    /** Requests filed from this browser, newest first. */
    kept: kept.list,

    /** The lookup view: this browser's requests and the case number + email form. */
    show() {
      error.value = undefined;
      // A signed-in customer's list, read again: a request filed since shows (once the backend's
      // short cache lets it).
      void mine.load(mine.answer.value?.page);
      view.value = 'lookup';
    },

    /** Asks for one request's status and shows it; on failure stays where it was, with the reason. */
    async check(request: StatusRequest) {
      if (looking.value) return;
      looking.value = true;
      error.value = undefined;
      try {
        const answer = await readStatus(api, { ...request, locale: t.value.locale });
        if ('token' in request && answer.caseNumber) numbered(request.token, answer.caseNumber);
        status.value = answer;
        at.value = Date.now();
        if (shown !== request) reply.forget();
        shown = request;
        view.value = 'status';
        hooks.announce(`${answer.caseNumber ?? answer.receipt ?? ''}: ${answer.statusLabel}`);
      } catch (e) {
        error.value = asError(e);
        hooks.emit('error', { form, code: error.value.code, message: error.value.message });
      } finally {
        looking.value = false;
      }
    },
  };
}

export type Lookup = ReturnType<typeof createLookup>;
