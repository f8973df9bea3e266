import type { FieldErrorCode, PublicField } from '../../server/contract';
import type { Translate } from '../strings';

interface Props {
  /** `readOnly`: what the site vouches for (a signed-in customer's email and name). */
  field: PublicField & { readOnly?: boolean };
  value: string | boolean | undefined;
  error: FieldErrorCode | undefined;
  t: Translate;
  onInput(value: string | boolean): void;
  onBlur(): void;
}

/** One field of the form: its label, control, help and error, tied together for screen readers. */
export function Field({ field, value, error, t, onInput, onBlur }: Props) {
  const { key, type, help, required } = field;
  const id = `df-${key}`;
  const checkbox = type === 'checkbox';
  const Control = type === 'textarea' || type === 'select' ? type : 'input';
  // One element for every type: Preact's types tell the three tags apart, their attributes here agree.
  const props = {
    id,
    name: key,
    required,
    readOnly: field.readOnly,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ') || undefined,
    onBlur,
    [checkbox || type === 'select' ? 'onChange' : 'onInput']: (e: Event) => {
      const control = e.currentTarget as HTMLInputElement;
      onInput(checkbox ? control.checked : control.value);
    },
    ...(Control === 'input' && { type, autoComplete: key === 'email' || key === 'name' ? key : undefined }),
    ...(checkbox
      ? { checked: value === true }
      : {
          value: typeof value === 'string' ? value : '',
          maxLength: field.maxLength,
          placeholder: field.placeholder,
        }),
    ...(type === 'textarea' && { rows: 5 }),
  } as Record<string, unknown>;
  return (
    <div class={`df-field df-${type}${error ? ' df-invalid' : ''}`}>
      <label for={id}>
        {field.label}
        {required && (
          <>
            <span class="df-required" aria-hidden="true">
              {' *'}
            </span>
            <span class="df-sr"> ({t('required')})</span>
          </>
        )}
      </label>
      <Control {...props}>
        {type === 'select' && [
          <option key="" value="">
            —
          </option>,
          ...(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          )),
        ]}
      </Control>
      {help && (
        <p id={`${id}-help`} class="df-help">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="df-error">
          {t(error)}
        </p>
      )}
    </div>
  );
}
