import { useRef } from 'preact/hooks';
import type { PublicForm } from '../../server/contract';
import type { WidgetError } from '../api';
import type { WidgetState } from '../state';
import { format, type Strings } from '../strings';
import { Field } from './Field';

/** The visitor-facing text for a failed send. */
export function errorText(error: WidgetError, strings: Strings): string {
  if (error.code === 'RATE_LIMITED' || error.code === 'DESKIE_UNAVAILABLE')
    return format(strings.RATE_LIMITED, { seconds: error.retryAfter ?? 30 });
  if (error.code === 'NETWORK' || error.code === 'TIMEOUT' || error.code === 'FORM_TOKEN_INVALID')
    return strings[error.code];
  if (error.code === 'VALIDATION_FAILED') return strings.summary;
  return strings.SERVER;
}

/** The form itself: fields, an error summary that takes focus after a failed send, the send button. */
export function FormView({
  state,
  form,
  strings,
}: {
  state: WidgetState;
  form: PublicForm;
  strings: Strings;
}) {
  const summary = useRef<HTMLDivElement>(null);
  const errors = state.fieldErrors.value;
  const invalid = form.fields.filter((f) => errors[f.key]);
  const failure = state.error.value;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (!(await state.submit())) queueMicrotask(() => summary.current?.focus());
  };

  return (
    <form
      class="df-form"
      noValidate
      onSubmit={onSubmit}
      aria-describedby={form.intro ? 'df-intro' : undefined}
    >
      {form.intro && (
        <p id="df-intro" class="df-intro">
          {form.intro}
        </p>
      )}
      <div
        ref={summary}
        tabIndex={-1}
        class="df-summary"
        role="alert"
        hidden={invalid.length === 0 && !failure}
      >
        {failure && failure.code !== 'VALIDATION_FAILED' && <p>{errorText(failure, strings)}</p>}
        {invalid.length > 0 && (
          <>
            <p>{strings.summary}</p>
            <ul>
              {invalid.map((f) => (
                <li key={f.key}>
                  <a href={`#df-${f.key}`}>{f.label}</a>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {form.fields.map((field) => (
        <Field
          key={field.key}
          field={field}
          value={state.values.value[field.key]}
          error={errors[field.key]}
          strings={strings}
          onInput={(v) => state.setValue(field.key, v)}
          onBlur={() => state.checkField(field.key)}
        />
      ))}
      <div class="df-hp" aria-hidden="true">
        <label>
          Website <input name={form.honeypot} tabIndex={-1} autoComplete="off" />
        </label>
      </div>
      <button type="submit" class="df-send" disabled={state.sending.value}>
        {state.sending.value ? strings.sending : strings.send}
      </button>
    </form>
  );
}
