/**
 * "My requests" of a customer the site signed in (docs/identity.md): every case Deskie has for
 * their verified email, from any device, a page at a time (one Deskie read per page, kept a while
 * by the backend). The backend's answer is also what vouches for the customer: their email and
 * name are filled and locked in the form only once it has checked the token — a token it refuses
 * is said (IDENTITY_INVALID, IDENTITY_EXPIRED) and never taken as an ordinary visitor's.
 */
import { signal } from '@preact/signals';
import type { RequestsResponse } from '../server/contract';
import { asError, type WidgetError } from './api';
import type { FollowContext } from './follow';
import type { WidgetState } from './state';

export function createMine(ctx: FollowContext) {
  const answer = signal<RequestsResponse | undefined>(undefined);
  const error = signal<WidgetError | undefined>(undefined);
  const busy = signal(false);

  return {
    answer,
    error,
    busy,
    /** Asks for page `page` (1: the newest) of the customer's requests. */
    async load(page = 1) {
      const identityToken = ctx.options.userToken;
      if (!identityToken || busy.value) return;
      busy.value = true;
      error.value = undefined;
      try {
        const { json } = await ctx.api.call(
          'POST',
          '/requests',
          (j) => Array.isArray(j.requests) && typeof j.customer?.email === 'string',
          { body: JSON.stringify({ identityToken, page, locale: ctx.t.value.locale }) },
        );
        answer.value = json;
      } catch (e) {
        const failure = asError(e);
        error.value = failure;
        ctx.hooks.emit('error', { form: ctx.options.form, code: failure.code, message: failure.message });
      } finally {
        busy.value = false;
      }
    },
  };
}

export type Mine = ReturnType<typeof createMine>;

/**
 * Fills and locks the customer's email and name in the form once the backend vouched for them;
 * the page's prefill gets them too, so a new request after this one starts with them.
 */
export function lockIdentity(state: WidgetState, options: FollowContext['options'], who?: Customer) {
  const def = state.form.value;
  if (!def || !who || def.fields.some((f) => (f as { readOnly?: boolean }).readOnly)) return;
  const values = { email: who.email, ...(who.name ? { name: who.name } : {}) };
  options.prefill = { ...options.prefill, ...values };
  state.prefill(values);
  state.form.value = {
    ...def,
    fields: def.fields.map((f) => (f.key in values ? { ...f, readOnly: true } : f)),
  };
}

type Customer = RequestsResponse['customer'];
