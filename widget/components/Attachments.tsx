import type { AttachmentPolicy } from '../../server/contract';
import type { WidgetState } from '../state';
import { FileList } from './FileList';

/** The file picker (files can also be dropped on the form or pasted), then the files chosen. */
export function Attachments({ state, policy }: { state: WidgetState; policy: AttachmentPolicy }) {
  const t = state.t.value;
  const { files } = state;
  return (
    <div class="df-field df-files">
      <input
        id="df-files"
        type="file"
        multiple
        hidden
        accept={policy.accept.join(',')}
        onChange={(e) => {
          state.files.add(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
        }}
      />
      <button
        type="button"
        class="df-secondary"
        aria-describedby="df-files-help"
        disabled={state.sending.value || files.list.value.length >= policy.maxFiles}
        onClick={(e) => (e.currentTarget.previousElementSibling as HTMLInputElement).click()}
      >
        {t('attach')}
      </button>
      <p id="df-files-help" class="df-help">
        {t('attachPolicy', { count: policy.maxFiles, size: t.size(policy.maxFileBytes) })} {t('dropHint')}
      </p>
      <FileList files={files} t={t} sending={state.sending.value} />
    </div>
  );
}
