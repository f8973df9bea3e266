import { describe, type WidgetState } from '../state';

/** After a send: the case number (or the receipt of a queued request), and what to do next. */
export function DoneView({ state }: { state: WidgetState }) {
  const t = state.t.value;
  const result = state.result.value;
  if (!result) return null;
  const created = result.status === 'created';
  const number = created ? result.caseNumber : result.receipt;
  const lookup = state.later.value?.lookup;
  // A failed lookup, or the lookup's chunk that could not be fetched.
  const failure = lookup?.error.value ?? state.error.value;
  return (
    <div>
      <h3 class="df-h" tabIndex={-1}>
        {t('thanks')}
      </h3>
      <p>{t(created ? 'createdBody' : 'queuedBody', { number })}</p>
      <p class="df-muted">{t('keptNote')}</p>
      {failure && (
        <p class="df-summary" role="alert">
          {describe(failure, t)}
        </p>
      )}
      <div class="df-actions">
        <button
          type="button"
          class="df-secondary"
          disabled={lookup?.looking.value}
          onPointerEnter={state.prefetch}
          onFocus={state.prefetch}
          onClick={() => void state.checkStatus({ token: result.lookupToken })}
        >
          {t('checkStatus')}
        </button>
        <button type="button" onClick={() => state.reset()}>
          {t('another')}
        </button>
      </div>
    </div>
  );
}
