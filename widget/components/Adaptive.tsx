import { useEffect, useRef } from 'preact/hooks';
import type { PublicForm } from '../../server/contract';
import { CONSENT_KEY, TYPE_KEY } from '../../server/rules';
import type { WidgetState } from '../state';

interface Props {
  state: WidgetState;
  /** The form as it stands for the answers so far (adapt.ts). */
  form: PublicForm;
}

/** The marks of a required answer: a star for the eye, a word for screen readers. */
const Required = ({ state }: { state: WidgetState }) => (
  <>
    <span class="df-required" aria-hidden="true">
      {' *'}
    </span>
    <span class="df-sr"> ({state.t.value('required')})</span>
  </>
);

/** Ids of an answer's help and error, for aria-describedby. */
const described = (key: string, help: unknown, error: unknown) =>
  [help && `df-${key}-help`, error && `df-${key}-error`].filter(Boolean).join(' ') || undefined;

/**
 * The top of an adaptive form: "What is it about?" as a group of radio buttons, when the form has
 * request types. It also tells screen readers, politely, which fields an answer added — focus
 * stays where the visitor is.
 */
export function Top({ state, form }: Props) {
  const t = state.t.value;
  const types = form.types;
  const error = state.fieldErrors.value[TYPE_KEY];
  const chosen = state.values.value[TYPE_KEY];
  const keys = form.fields.map((f) => f.key).join(' ');
  const before = useRef(keys);
  useEffect(() => {
    const had = new Set(before.current.split(' '));
    before.current = keys;
    const added = form.fields.filter((f) => !had.has(f.key)).map((f) => f.label);
    if (added.length > 0) state.announce(t('fieldsAdded', { fields: added.join(', ') }));
  }, [keys]);
  if (!types) return null;
  return (
    <fieldset class={`df-field df-types${error ? ' df-invalid' : ''}`}>
      <legend>
        {types.label}
        <Required state={state} />
      </legend>
      {types.help && (
        <p id="df-type-help" class="df-help">
          {types.help}
        </p>
      )}
      {types.options.map((option, i) => (
        <label key={option.value} class="df-choice">
          <input
            type="radio"
            name={TYPE_KEY}
            // The first option is where the error summary's link leads.
            id={i === 0 ? `df-${TYPE_KEY}` : undefined}
            value={option.value}
            checked={chosen === option.value}
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={described(TYPE_KEY, types.help, error)}
            onChange={() => {
              state.setValue(TYPE_KEY, option.value);
              state.checkField(TYPE_KEY);
            }}
          />
          {option.label}
        </label>
      ))}
      {error && (
        <p id="df-type-error" class="df-error">
          {t(error)}
        </p>
      )}
    </fieldset>
  );
}

/** The bottom of an adaptive form: consent to the owner's policy, when the form asks for it. */
export function Bottom({ state, form }: Props) {
  const consent = form.consent;
  if (!consent) return null;
  const t = state.t.value;
  const error = state.fieldErrors.value[CONSENT_KEY];
  const id = `df-${CONSENT_KEY}`;
  return (
    <div class={`df-field df-consent${error ? ' df-invalid' : ''}`}>
      <div class="df-tick">
        <label for={id}>
          {consent.label}
          <Required state={state} />
        </label>
        <input
          id={id}
          type="checkbox"
          name={CONSENT_KEY}
          required
          checked={state.values.value[CONSENT_KEY] === true}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described(CONSENT_KEY, true, error)}
          onChange={(e) => {
            state.setValue(CONSENT_KEY, e.currentTarget.checked);
            state.checkField(CONSENT_KEY);
          }}
        />
      </div>
      <p id={`${id}-help`} class="df-help">
        <a href={consent.url} target="_blank" rel="noopener noreferrer">
          {consent.linkText}
        </a>
      </p>
      {error && (
        <p id={`${id}-error`} class="df-error">
          {t(error)}
        </p>
      )}
    </div>
  );
}
