import type { JSX } from 'preact';
import type { FieldErrorCode, PublicField } from '../../server/contract';
import type { Strings } from '../strings';

interface Props {
  field: PublicField;
  value: string | boolean | undefined;
  error: FieldErrorCode | undefined;
  strings: Strings;
  onInput(value: string | boolean): void;
  onBlur(): void;
}

/** One field of the form: its label, control, help and error, tied together for screen readers. */
export function Field({ field, value, error, strings, onInput, onBlur }: Props) {
  const id = `df-${field.key}`;
  const described =
    [field.help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.key,
    required: field.required,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described,
    onBlur,
  };
  const text = typeof value === 'string' ? value : '';
  let control: JSX.Element;
  if (field.type === 'checkbox') {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onInput(e.currentTarget.checked)}
      />
    );
  } else if (field.type === 'textarea') {
    control = (
      <textarea
        {...common}
        rows={5}
        maxLength={field.maxLength}
        placeholder={field.placeholder}
        value={text}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    );
  } else if (field.type === 'select') {
    control = (
      <select {...common} value={text} onChange={(e) => onInput(e.currentTarget.value)}>
        <option value="">—</option>
        {field.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    // Preact types each input type apart; the three share every attribute used here.
    const type = (field.type === 'email' ? 'email' : field.type === 'date' ? 'date' : 'text') as 'text';
    const autocomplete = field.key === 'email' ? 'email' : field.key === 'name' ? 'name' : undefined;
    control = (
      <input
        {...common}
        type={type}
        autoComplete={autocomplete}
        maxLength={field.maxLength}
        placeholder={field.placeholder}
        value={text}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    );
  }
  return (
    <div class={`df-field df-${field.type}${error ? ' df-invalid' : ''}`}>
      <label for={id}>
        {field.label}
        {field.required && (
          <span class="df-required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
        {field.required && <span class="df-sr"> ({strings.required})</span>}
      </label>
      {control}
      {field.help && (
        <p id={`${id}-help`} class="df-help">
          {field.help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="df-error">
          {strings[error]}
        </p>
      )}
    </div>
  );
}
