import type { Files } from '../files';
import type { Translate } from '../strings';

/** The files chosen: name, size, upload progress while sending, a remove button; then the total. */
export function FileList({ files, t, sending }: { files: Files; t: Translate; sending: boolean }) {
  const list = files.list.value;
  return (
    <>
      {files.problem.value && (
        <p class="df-error" role="alert">
          {files.problem.value}
        </p>
      )}
      {list.length > 0 && (
        <>
          <ul class="df-file-list">
            {list.map((file, i) => {
              const share = files.share(i);
              const percent = Math.round((share ?? 0) * 100);
              return (
                <li key={`${file.name}-${file.size}-${i}`}>
                  <span class="df-file-name">{file.name}</span>{' '}
                  <span class="df-muted">{t.size(file.size)}</span>
                  {share !== undefined && (
                    <progress
                      max={100}
                      value={percent}
                      aria-label={t('uploading', { name: file.name, percent })}
                    />
                  )}
                  <button
                    type="button"
                    class="df-remove"
                    aria-label={t('remove', { name: file.name })}
                    disabled={sending}
                    onClick={() => files.remove(i)}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
          <p class="df-muted">{t('files', { count: list.length, size: t.size(files.total.value) })}</p>
        </>
      )}
    </>
  );
}
