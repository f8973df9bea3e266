import type { Lookup } from '../lookup';
import type { WidgetState } from '../state';

/** One request's status: the customer-facing label, its dates and, when the form shows them, replies. */
export function StatusView({ state, lookup }: { state: WidgetState; lookup: Lookup }) {
  const t = state.t.value;
  const status = lookup.status.value;
  if (!status) return null;
  return (
    <div class="df-status">
      <h3 class="df-h" tabIndex={-1}>
        {status.caseNumber
          ? t('statusTitle', { number: status.caseNumber })
          : t('statusQueued', { number: status.receipt ?? '' })}
      </h3>
      <p>{status.subject}</p>
      <p class={`df-badge df-${status.status}`}>{status.statusLabel}</p>
      <p class="df-muted">
        {t('received', { date: t.date(status.createdAt) })}
        <br />
        {t('updated', { date: t.date(status.updatedAt) })}
      </p>
      {status.replies && (
        <>
          <h4>{t('replies')}</h4>
          {status.replies.length === 0 ? (
            <p class="df-muted">{t('noReplies')}</p>
          ) : (
            <ol class="df-replies">
              {status.replies.map((r) => (
                <li key={r.createdAt + r.text.slice(0, 20)}>
                  <p class="df-muted">
                    {r.author} · {t.date(r.createdAt)}
                  </p>
                  <p class="df-reply">{r.text}</p>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      <div class="df-actions">
        <button type="button" class="df-secondary" onClick={() => lookup.show()}>
          {t('back')}
        </button>
        <button type="button" onClick={() => state.reset()}>
          {t('newRequest')}
        </button>
      </div>
    </div>
  );
}
