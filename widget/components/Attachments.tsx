import type { AttachmentPolicy } from '../../server/contract';
import type { WidgetState } from '../state';

/**
 * The file picker (files can also be dropped on the form or pasted), then the files chosen — a
 * list that comes with its chunk, fetched as the visitor reaches for the button (attachments.ts).
 */
export function Attachments({ state, policy }: { state: WidgetState; policy: AttachmentPolicy }) {
  const t = state.t.value;
  const { files } = state;
  const attached = files.attached.value;
  return (
    <div class="df-field df-files">
      <input
        id="df-files"
        type="file"
        multiple
        hidden
        accept={policy.accept.join(',')}
        onChange={(e) => {
          void files.add(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
        }}
      />
      <button
        type="button"
        class="df-secondary"
        aria-describedby="df-files-help"
        disabled={state.sending.value || files.list.value.length >= policy.maxFiles}
        onPointerEnter={files.prefetch}
        onFocus={files.prefetch}
        onClick={(e) => (e.currentTarget.previousElementSibling as HTMLInputElement).click()}
      >
        {t('attach')}
      </button>
      <p id="df-files-help" class="df-help">
        {t('attachPolicy', { count: policy.maxFiles, size: t.size(policy.maxFileBytes) })} {t('dropHint')}
      </p>
      {attached && <attached.FileList files={attached.files} t={t} sending={state.sending.value} />}
    </div>
  );
}
