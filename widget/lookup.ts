/**
 * Looking a request up without an account: by the lookup token this browser kept when it was
 * filed ("Your requests"), or by case number + the email it was filed with.
 */
import type { StatusResponse } from '../server/contract';
import { type Api, asError, type WidgetError } from './api';
import type { Cell, CellFactory } from './cells';
import type { Hooks, View } from './state';
import { keptRequests } from './storage';
import type { Translate } from './strings';

export function createLookup(
  signal: CellFactory,
  form: string,
  api: Api,
  t: Cell<Translate>,
  view: Cell<View>,
  hooks: Hooks,
) {
  const kept = keptRequests(form);
  const status = signal<StatusResponse | undefined>(undefined);
  const looking = signal(false);
  const error = signal<WidgetError | undefined>(undefined);

  return {
    status,
    looking,
    error,
    /** Requests filed from this browser, newest first. */
    kept: kept.list,

    /** The lookup view: this browser's requests and the case number + email form. */
    show() {
      error.value = undefined;
      view.value = 'lookup';
    },

    /** Asks for one request's status and shows it; on failure stays where it was, with the reason. */
    async check(request: { token: string } | { caseNumber: string; email: string }) {
      if (looking.value) return;
      looking.value = true;
      error.value = undefined;
      try {
        const answer = await api.status({ ...request, locale: t.value.locale });
        if ('token' in request && answer.caseNumber) kept.numbered(request.token, answer.caseNumber);
        status.value = answer;
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
