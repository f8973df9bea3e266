import { describe, type WidgetState } from '../state';

/** After a send: the case number (or the receipt of a queued request), and what to do next. */
export function DoneView({ state }: { state: WidgetState }) {
  const t = state.t.value;
  const result = state.result.value;
  if (!result) return null;
  const created = result.status === 'created';
  const number = created ? result.caseNumber : result.receipt;
  return (
    <div class="df-done">
      <h3 class="df-h" tabIndex={-1}>
        {t('thanks')}
      </h3>
      <p>{t(created ? 'createdBody' : 'queuedBody', { number })}</p>
      <p class="df-muted">{t('keptNote')}</p>
      {state.lookup.error.value && (
        <p class="df-summary" role="alert">
          {describe(state.lookup.error.value, t)}
        </p>
      )}
      <div class="df-actions">
        <button
          type="button"
          class="df-secondary"
          disabled={state.lookup.looking.value}
          onClick={() => void state.lookup.check({ token: result.lookupToken })}
        >
          {t('checkStatus')}
        </button>
        <button type="button" class="df-primary" onClick={() => state.reset()}>
          {t('another')}
        </button>
      </div>
    </div>
  );
}
