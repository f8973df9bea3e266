/** Renders the widget's App the way boot() does, against a real backend, recording what it tells the page. */
import { render } from '@testing-library/preact';
import { createApi } from '../../widget/api';
import { App } from '../../widget/components/App';
import { parseOptions } from '../../widget/options';
import { createWidgetState, type WidgetEvent } from '../../widget/state';

export function mountApp(endpoint: string, extra: Record<string, unknown> = {}, timeoutMs?: number) {
  const options = parseOptions({ form: 'support', ...extra }, { endpoint });
  if (!options) throw new Error('bad options');
  const events: [WidgetEvent, Record<string, unknown> | undefined][] = [];
  const announced: string[] = [];
  const state = createWidgetState(
    options,
    options.locale ?? 'en',
    createApi(endpoint, 'support', timeoutMs),
    {
      emit: (event, detail) => events.push([event, detail]),
      announce: (text) => announced.push(text),
    },
  );
  render(<App state={state} />);
  void state.load();
  return { state, events, announced };
}
