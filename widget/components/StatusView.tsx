import type { Lookup } from '../lookup';
import type { WidgetState } from '../state';
import { dateIn } from '../strings/dates';
import { ReplyBox } from './ReplyBox';
import { Thread } from './Thread';

/** File links are good for an hour from the answer that gave them: past 55 minutes, fresh ones first. */
const LINK_MS = 55 * 60_000;

/**
 * One request's status: the customer-facing label, its dates and, when the form shows them, the
 * conversation with support's files; then the visitor's reply box, once the request is a case.
 */
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
        {t('received', { date: dateIn(t, status.createdAt) })}
        <br />
        {t('updated', { date: dateIn(t, status.updatedAt) })}
      </p>
      {status.replies && (
        <>
          <h4>{t('replies')}</h4>
          <Thread
            status={status}
            t={t}
            base={lookup.base}
            stale={{ is: () => Date.now() - lookup.at.value > LINK_MS, renew: () => void lookup.refresh() }}
          />
        </>
      )}
      {status.caseNumber && <ReplyBox lookup={lookup} t={t} form={state.form.value} />}
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
