import { useEffect } from 'preact/hooks';
import type { WidgetState } from '../state';
import { format, stringsFor } from '../strings';
import { FormView } from './FormView';

/** The widget's content: loading, the form, or the answer. */
export function App({ state, locale }: { state: WidgetState; locale: string }) {
  useEffect(() => {
    void state.load();
  }, [state]);
  const form = state.form.value;
  const strings = stringsFor(form?.locale ?? locale);
  const result = state.result.value;

  return (
    <section
      class="df-root"
      dir={form?.dir ?? 'ltr'}
      lang={form?.locale ?? locale}
      aria-labelledby="df-title"
    >
      <h2 id="df-title" class="df-title">
        {form?.title ?? ''}
      </h2>
      {state.view.value === 'loading' && <p role="status">{strings.loading}</p>}
      {state.view.value === 'failed' && (
        <div role="alert">
          <p>{strings.loadFailed}</p>
          <button type="button" onClick={() => void state.load()}>
            {strings.retry}
          </button>
        </div>
      )}
      {state.view.value === 'form' && form && <FormView state={state} form={form} strings={strings} />}
      {state.view.value === 'done' && result && (
        <div class="df-done" role="status">
          <h3>{result.status === 'created' ? strings.createdTitle : strings.queuedTitle}</h3>
          <p>
            {result.status === 'created'
              ? format(strings.createdBody, { number: result.caseNumber })
              : strings.queuedBody}
          </p>
          <button type="button" onClick={() => state.reset()}>
            {strings.another}
          </button>
        </div>
      )}
    </section>
  );
}
