/** Renders the widget's App the way boot() does, against a real backend, recording what it tells the page. */
import { render } from '@testing-library/preact';
import { createApi, type Timer } from '../../widget/api';
import { App } from '../../widget/components/App';
import { parseOptions } from '../../widget/options';
import { createWidgetState, type WidgetEvent } from '../../widget/state';

/** How the widget's API client is made: its timeout for each request, and the timer that runs it. */
export interface ApiSeams {
  timeoutMs?: number;
  timer?: Timer;
}

export function mountApp(endpoint: string, extra: Record<string, unknown> = {}, api: ApiSeams = {}) {
  const options = parseOptions({ form: 'support', ...extra }, { endpoint });
  if (!options) throw new Error('bad options');
  const events: [WidgetEvent, Record<string, unknown> | undefined][] = [];
  const announced: string[] = [];
  const state = createWidgetState(
    options,
    options.locale ?? 'en',
    createApi(endpoint, 'support', api.timeoutMs, api.timer),
    {
      emit: (event, detail) => events.push([event, detail]),
      announce: (text) => announced.push(text),
    },
  );
  render(<App state={state} />);
  void state.load();
  return { state, events, announced };
}

/**
 * Request timers that fire only when the test says so: the widget's requests time out at the
 * moment a test chooses, never because the machine happened to be slow.
 */
export function manualTimers() {
  const pending = new Set<() => void>();
  const timer: Timer = (_ms, fire) => {
    const due = () => {
      pending.delete(due);
      fire();
    };
    pending.add(due);
    return () => {
      pending.delete(due);
    };
  };
  return {
    timer,
    /** Timers running: requests in flight. */
    get pending() {
      return pending.size;
    },
    /** Fires every running timer: each request in flight times out now. */
    expire() {
      for (const due of [...pending]) due();
    },
  };
}
