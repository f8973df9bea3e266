import type { ReplyFile, StatusResponse, ThreadEntry } from '../../server/contract';
import type { Translate } from '../strings';
import { dateIn } from '../strings/dates';

/**
 * The conversation after the request, oldest first: support's public replies with their files, and
 * the visitor's own. Files download through the backend (`base`, its address): a
 * link is good for an hour from the answer that gave it, so an older one asks for fresh links first.
 */
export function Thread({
  status,
  t,
  base,
  stale,
}: {
  status: StatusResponse;
  t: Translate;
  base: string;
  /** The links are past their hour: `renew` asks for fresh ones. */
  stale: { renew(): void; is(): boolean };
}) {
  const entries: ThreadEntry[] =
    status.thread ?? (status.replies ?? []).map((r) => ({ ...r, author: 'support' as const }));
  const file = (f: ReplyFile) => (
    <li key={f.url}>
      <a
        href={base + f.url}
        download={f.name}
        onClick={(e) => {
          if (!stale.is()) return;
          e.preventDefault();
          stale.renew();
        }}
      >
        {t('download', { name: f.name })}
      </a>{' '}
      <span class="df-muted">{t.size(f.size)}</span>
    </li>
  );
  if (entries.length === 0) return <p class="df-muted">{t('noReplies')}</p>;
  return (
    <ol class="df-replies">
      {entries.map((r, i) => (
        <li key={`${i}-${r.createdAt}`} class={r.author === 'customer' ? 'df-mine-reply' : undefined}>
          <p class="df-muted">
            {r.author === 'customer' ? t('you') : t('support')} · {dateIn(t, r.createdAt)}
          </p>
          <p class="df-reply">{r.text}</p>
          {r.attachments && r.attachments.length > 0 && (
            <ul class="df-file-list" aria-label={t('attachments')}>
              {r.attachments.map(file)}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
