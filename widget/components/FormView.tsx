import type { PublicForm } from '../../server/contract';
import { describe, type WidgetState } from '../state';
import { Attachments } from './Attachments';
import { Field } from './Field';

/**
 * The form itself: fields, files, an error summary that takes focus after a failed send, and the
 * send button (disabled while sending). Files can also be dropped anywhere on it or pasted.
 */
export function FormView({ state, form }: { state: WidgetState; form: PublicForm }) {
  const t = state.t.value;
  const errors = state.fieldErrors.value;
  // An adaptive form's parts (adaptive.ts): the type first, consent last.
  const part = state.adaptive.value;
  const slot = state.challenge.value;
  const invalid = state.tried.value ? (part?.order.value ?? form.fields).filter((f) => errors[f.key]) : [];
  const failure = state.error.value;
  const sending = state.sending.value;
  const takesFiles = form.attachments !== null;

  /** Files dropped on the form or pasted into it, instead of the browser opening or pasting them. */
  const take = (event: Event, data: DataTransfer | null) => {
    if (!takesFiles || !data?.files.length) return;
    event.preventDefault();
    void state.files.add(data.files);
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const el = event.currentTarget as HTMLFormElement;
    const trap = el.elements.namedItem(form.honeypot);
    const honeypot = trap instanceof HTMLInputElement ? trap.value : '';
    // After the re-render that shows the summary (renders run in microtasks; this is a task).
    if (!(await state.submit(honeypot)))
      setTimeout(() => el.querySelector<HTMLElement>('.df-summary')?.focus());
  };

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      onPointerDown={() => state.press()}
      aria-describedby={form.intro ? 'df-intro' : undefined}
      onDragEnter={takesFiles ? state.files.prefetch : undefined}
      onDragOver={(e) => {
        if (takesFiles && e.dataTransfer?.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => take(e, e.dataTransfer)}
      onPaste={(e) => take(e, e.clipboardData)}
    >
      {form.intro && <p id="df-intro">{form.intro}</p>}
      <div tabIndex={-1} class="df-summary" role="alert" hidden={invalid.length === 0 && !failure}>
        {failure && failure.code !== 'VALIDATION_FAILED' && <p>{describe(failure, t)}</p>}
        {invalid.length > 0 && (
          <>
            <p>{t('summary')}</p>
            <ul>
              {invalid.map((f) => (
                <li key={f.key}>
                  <a
                    href={`#df-${f.key}`}
                    onClick={(e) => {
                      // In a shadow root a fragment link finds nothing, and would change the page's URL.
                      e.preventDefault();
                      const root = e.currentTarget.getRootNode() as Document | ShadowRoot;
                      root.getElementById(`df-${f.key}`)?.focus();
                    }}
                  >
                    {f.label}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {part && <part.Top state={state} form={form} />}
      {form.fields.map((field) => (
        <Field
          key={field.key}
          field={field}
          value={state.values.value[field.key]}
          error={errors[field.key]}
          t={t}
          onInput={(v) => state.setValue(field.key, v)}
          onBlur={() => state.checkField(field.key)}
        />
      ))}
      {form.attachments && <Attachments state={state} policy={form.attachments} />}
      {form.captcha && slot && <slot.Slot state={state} config={form.captcha} />}
      {part && <part.Bottom state={state} form={form} />}
      <div class="df-sr" aria-hidden="true">
        <label>
          Website <input name={form.honeypot} tabIndex={-1} autoComplete="off" />
        </label>
      </div>
      <button
        type="submit"
        class="df-send"
        disabled={sending}
        onPointerEnter={state.prefetchDone}
        onFocus={state.prefetchDone}
      >
        {sending ? t('sending') : t('send')}
      </button>
    </form>
  );
}
