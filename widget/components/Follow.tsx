import type { Lookup } from '../lookup';
import type { WidgetState } from '../state';
import { LookupView } from './LookupView';
import { StatusView } from './StatusView';

/** The lookup view or a request's status, when the widget shows one of them (the lookup chunk's views). */
export function Follow({ state, lookup }: { state: WidgetState; lookup: Lookup }) {
  const view = state.view.value;
  if (view === 'lookup') return <LookupView state={state} lookup={lookup} />;
  return view === 'status' ? <StatusView state={state} lookup={lookup} /> : null;
}
