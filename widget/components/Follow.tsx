import { useEffect } from 'preact/hooks';
import type { Lookup } from '../lookup';
import { lockIdentity } from '../mine';
import type { WidgetState } from '../state';
import { LookupView } from './LookupView';
import { StatusView } from './StatusView';

/**
 * The lookup view or a request's status, when the widget shows one of them (the lookup chunk's
 * views); and, once the backend vouched for a signed-in customer, their email and name locked.
 */
export function Follow({ state, lookup }: { state: WidgetState; lookup: Lookup }) {
  const view = state.view.value;
  const who = lookup.mine.answer.value?.customer;
  const def = state.form.value;
  useEffect(() => lockIdentity(state, lookup.options, who), [who, def]);
  if (view === 'lookup') return <LookupView state={state} lookup={lookup} />;
  return view === 'status' ? <StatusView state={state} lookup={lookup} /> : null;
}
