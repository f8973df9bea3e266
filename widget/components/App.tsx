import { useEffect, useRef } from 'preact/hooks';
import type { View, WidgetState } from '../state';
import { FormView } from './FormView';

/**
 * The widget's content: loading, the form, the answer (its own chunk, here before a send), a
 * lookup or a request's status (those two views come with their chunk: state.later). When the view changes, focus moves to its heading
 * so keyboard and screen-reader users follow along.
 */
export function App({ state }: { state: WidgetState }) {
  const el = useRef<HTMLElement>(null);
  const shown = useRef<View | undefined>(undefined);
  const view = state.view.value;
  // The form as it stands for the answers so far (an adaptive form's chosen type: its title).
  const form = state.shown.value;
  const t = state.t.value;
  const later = state.later.value;
  const Done = state.doneView.value;

  useEffect(() => {
    // Not when the form first arrives: an inline form must not pull focus on page load.
    if (shown.current && shown.current !== 'loading' && shown.current !== view)
      el.current?.querySelector<HTMLElement>('.df-h, input, select, textarea')?.focus();
    shown.current = view;
  }, [view]);

  return (
    <section
      ref={el}
      class="df-root"
      dir={form?.dir ?? (/^(ar|he|fa|ur)\b/.test(t.locale) ? 'rtl' : 'ltr')}
      lang={form?.locale ?? t.locale}
      aria-labelledby="df-title"
    >
      <h2 id="df-title" class="df-title">
        {form?.title ?? t('launcher')}
      </h2>
      {view === 'loading' && <p class="df-muted">{t('loading')}</p>}
      {view === 'failed' && (
        <div role="alert">
          <p>{t('loadFailed')}</p>
          <button type="button" class="df-secondary" onClick={() => void state.load()}>
            {t('retry')}
          </button>
        </div>
      )}
      {view === 'form' && form && <FormView state={state} form={form} />}
      {view === 'done' && Done && <Done state={state} />}
      {later && <later.views.Follow state={state} lookup={later.lookup} />}
      {(view === 'form' || view === 'failed') && (
        <p class="df-footer">
          <button
            type="button"
            class="df-link"
            onPointerEnter={state.prefetch}
            onFocus={state.prefetch}
            onClick={() => void state.showLookup()}
          >
            {t('lookupTitle')}
          </button>
        </p>
      )}
    </section>
  );
}
