import type { Lookup } from '../lookup';
import { describe, type WidgetState } from '../state';
import { dateIn } from '../strings/dates';
import { MineList } from './MineList';

/** "Your requests" from this browser, and a lookup by case number + email. */
export function LookupView({ state, lookup }: { state: WidgetState; lookup: Lookup }) {
  const t = state.t.value;
  const kept = lookup.kept();
  const failure = lookup.error.value;
  const busy = lookup.looking.value;
  return (
    <div class="df-lookup">
      <h3 class="df-h" tabIndex={-1}>
        {t('lookupTitle')}
      </h3>
      <MineList lookup={lookup} t={t} />
      {kept.length > 0 && (
        <>
          <h4>{t('mine')}</h4>
          <ul class="df-mine">
            {kept.map((r) => (
              <li key={r.lookupToken}>
                <button
                  type="button"
                  class="df-link"
                  disabled={busy}
                  onClick={() => void lookup.check({ token: r.lookupToken })}
                >
                  {t('mineItem', { number: r.caseNumber ?? r.receipt ?? '', date: dateIn(t, r.at) })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        class="df-form"
        onSubmit={(e) => {
          e.preventDefault();
          const field = (name: string) =>
            ((e.currentTarget.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
          void lookup.check({ caseNumber: field('caseNumber'), email: field('email') });
        }}
      >
        <div class="df-field">
          <label for="df-lookup-number">{t('caseNumber')}</label>
          <input id="df-lookup-number" name="caseNumber" required autoComplete="off" inputMode="numeric" />
        </div>
        <div class="df-field">
          <label for="df-lookup-email">{t('email')}</label>
          <input id="df-lookup-email" name="email" type="email" required autoComplete="email" />
        </div>
        {failure && (
          <p class="df-summary" role="alert">
            {describe(failure, t)}
          </p>
        )}
        <div class="df-actions">
          <button type="button" class="df-secondary" onClick={() => state.reset()}>
            {t('newRequest')}
          </button>
          <button type="submit" disabled={busy}>
            {busy ? t('looking') : t('checkStatus')}
          </button>
        </div>
      </form>
    </div>
  );
}
