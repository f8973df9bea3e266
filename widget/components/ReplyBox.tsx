import type { PublicForm } from '../../server/contract';
import type { Lookup } from '../lookup';
import { describe } from '../state';
import type { Translate } from '../strings';

/**
 * The visitor's reply under the conversation: words, files (checked and listed as in the form, by
 * the attach chunk) and what became of it — in the case, or stored to follow — or why not.
 */
export function ReplyBox({ lookup, t, form }: { lookup: Lookup; t: Translate; form?: PublicForm }) {
  const { reply } = lookup;
  const sending = reply.sending.value;
  const attached = reply.attached.value;
  const files = reply.files.value;
  const policy = form?.attachments;
  const failure = reply.error.value;
  const outcome = reply.outcome.value;
  return (
    <form
      class="df-form df-reply-box"
      aria-labelledby="df-reply-title"
      onSubmit={(e) => {
        e.preventDefault();
        void lookup.answer();
      }}
    >
      <h4 id="df-reply-title">{t('replyTitle')}</h4>
      <div class="df-field">
        <label for="df-reply-text">{t('replyLabel')}</label>
        <textarea
          id="df-reply-text"
          rows={4}
          maxLength={20_000}
          value={reply.text.value}
          disabled={sending}
          onInput={(e) => {
            reply.text.value = e.currentTarget.value;
          }}
        />
      </div>
      {policy && (
        <div class="df-field df-files">
          <input
            id="df-reply-files"
            type="file"
            multiple
            hidden
            accept={policy.accept.join(',')}
            onChange={(e) => {
              void reply.add(form, e.currentTarget.files ?? []);
              e.currentTarget.value = '';
            }}
          />
          <button
            type="button"
            class="df-secondary"
            aria-describedby="df-reply-files-help"
            disabled={sending || (files?.list.value.length ?? 0) >= policy.maxFiles}
            onPointerEnter={reply.prefetch}
            onFocus={reply.prefetch}
            onClick={(e) => (e.currentTarget.previousElementSibling as HTMLInputElement).click()}
          >
            {t('attach')}
          </button>
          <p id="df-reply-files-help" class="df-help">
            {t('attachPolicy', { count: policy.maxFiles, size: t.size(policy.maxFileBytes) })}
          </p>
          {attached && files && <attached.FileList files={files} t={t} sending={sending} />}
        </div>
      )}
      {failure && (
        <p class="df-summary" role="alert">
          {describe(failure, t)}
        </p>
      )}
      <p class="df-muted" role="status">
        {outcome && t(outcome === 'sent' ? 'replySent' : 'replyQueued')}
      </p>
      <div class="df-actions">
        <button type="submit" disabled={sending}>
          {sending ? t('sending') : t('replySend')}
        </button>
      </div>
    </form>
  );
}
