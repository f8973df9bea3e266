import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetState } from '../state';
import { stringsFor } from '../strings';
import { App } from './App';

/** A floating button that opens the form in a dialog; Esc closes it and focus returns to the button. */
export function Launcher(props: {
  state: WidgetState;
  locale: string;
  text?: string;
  side: 'left' | 'right';
  open: { value: boolean };
}) {
  const { state, locale, side } = props;
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const wasOpen = useSignal(false);
  const open = props.open.value;
  const strings = stringsFor(state.form.value?.locale ?? locale);

  useEffect(() => {
    if (open)
      queueMicrotask(() =>
        panel.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus(),
      );
    else if (wasOpen.value) button.current?.focus();
    wasOpen.value = open;
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        class={`df-launcher df-${side}`}
        aria-expanded={open}
        aria-controls="df-panel"
        onClick={() => {
          props.open.value = !open;
        }}
      >
        {props.text ?? strings.launcher}
      </button>
      {open && (
        <div
          ref={panel}
          id="df-panel"
          class={`df-panel df-${side}`}
          role="dialog"
          aria-modal="true"
          aria-labelledby="df-title"
          onKeyDown={(e) => {
            if (e.key === 'Escape') props.open.value = false;
          }}
        >
          <button
            type="button"
            class="df-close"
            aria-label={strings.close}
            onClick={() => (props.open.value = false)}
          >
            ×
          </button>
          <App state={state} locale={locale} />
        </div>
      )}
    </>
  );
}
