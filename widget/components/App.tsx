import { Live } from '../cells';
import type { View, WidgetState } from '../state';
import { DoneView } from './DoneView';
import { FormView } from './FormView';
import { LookupView } from './LookupView';
import { StatusView } from './StatusView';

/**
 * The widget's content: loading, the form, the answer, a lookup or a request's status. When the
 * view changes, focus moves to its heading so keyboard and screen-reader users follow along.
 */
export class App extends Live<{ state: WidgetState }> {
  shown?: View;
  el?: HTMLElement | null;

  override componentDidUpdate() {
    const view = this.props.state.view.value;
    // Not when the form first arrives: an inline form must not pull focus on page load.
    if (this.shown !== 'loading' && this.shown !== view)
      this.el?.querySelector<HTMLElement>('.df-h, input, select, textarea')?.focus();
    this.shown = view;
  }

  override componentDidMount() {
    super.componentDidMount();
    this.shown = this.props.state.view.value;
  }

  render({ state }: { state: WidgetState }) {
    const view = state.view.value;
    const form = state.form.value;
    const t = state.t.value;
    return (
      <section
        ref={(el) => {
          this.el = el;
        }}
        class="df-root"
        dir={form?.dir ?? (t.locale.startsWith('ar') ? 'rtl' : 'ltr')}
        lang={form?.locale ?? t.locale}
        aria-labelledby="df-title"
      >
        <h2 id="df-title" class="df-title">
          {form?.title ?? t('launcher')}
        </h2>
        {view === 'loading' && <p class="df-muted">{t('loading')}</p>}
        {view === 'failed' && (
          <div class="df-notice" role="alert">
            <p>{t('loadFailed')}</p>
            <button type="button" class="df-secondary" onClick={() => void state.load()}>
              {t('retry')}
            </button>
          </div>
        )}
        {view === 'form' && form && <FormView state={state} form={form} />}
        {view === 'done' && <DoneView state={state} />}
        {view === 'lookup' && <LookupView state={state} />}
        {view === 'status' && <StatusView state={state} />}
        {(view === 'form' || view === 'failed') && (
          <p class="df-footer">
            <button type="button" class="df-link" onClick={() => state.lookup.show()}>
              {t('lookupTitle')}
            </button>
          </p>
        )}
      </section>
    );
  }
}
