import type { Lookup } from '../lookup';
import { describe } from '../state';
import type { Translate } from '../strings';

/** "My requests": a signed-in customer's requests from Deskie, newest first, each opening its status. */
export function MineList({ lookup, t }: { lookup: Lookup; t: Translate }) {
  const { mine } = lookup;
  const answer = mine.answer.value;
  const failure = mine.error.value;
  const busy = mine.busy.value;
  if (!answer && !failure) return null;
  return (
    <section aria-labelledby="df-account">
      <h4 id="df-account">{t('account')}</h4>
      {failure && (
        <p class="df-summary" role="alert">
          {describe(failure, t)}
        </p>
      )}
      {answer && answer.requests.length === 0 && <p class="df-muted">{t('accountEmpty')}</p>}
      {answer && answer.requests.length > 0 && (
        <ul class="df-mine">
          {answer.requests.map((r) => (
            <li key={r.caseNumber}>
              <button
                type="button"
                class="df-link"
                disabled={lookup.looking.value}
                onClick={() => void lookup.check({ token: r.lookupToken })}
              >
                {t('accountItem', { number: r.caseNumber, subject: r.subject, status: r.statusLabel })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {answer && (answer.page > 1 || answer.page * answer.pageSize < answer.total) && (
        <div class="df-actions">
          {answer.page > 1 && (
            <button
              type="button"
              class="df-secondary"
              disabled={busy}
              onClick={() => void mine.load(answer.page - 1)}
            >
              {t('newer')}
            </button>
          )}
          {answer.page * answer.pageSize < answer.total && (
            <button
              type="button"
              class="df-secondary"
              disabled={busy}
              onClick={() => void mine.load(answer.page + 1)}
            >
              {t('older')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
