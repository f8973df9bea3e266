import type { Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { WidgetState } from '../state';

const TABBABLE =
  'a[href],button:not([disabled]),input:not([disabled]):not([hidden]):not([tabindex="-1"]),select:not([disabled]),textarea:not([disabled])';

/** The next (or previous) tabbable element in `panel` from `active`, wrapping around: the focus trap. */
export function nextTabbable(
  panel: HTMLElement,
  active: Element | null,
  back: boolean,
): HTMLElement | undefined {
  const items = [...panel.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !el.closest('[hidden]'));
  const after = (el: Element) =>
    !!active && !!(active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  return back
    ? (items.filter((el) => el !== active && !after(el)).pop() ?? items[items.length - 1])
    : (items.find((el) => el !== active && after(el)) ?? items[0]);
}

interface Props {
  state: WidgetState;
  open: Signal<boolean>;
  side: 'left' | 'right';
  onClose(): void;
  children: ComponentChildren;
}

/**
 * Takes focus back into `panel` when a page script pulls it away (the page's own focus manager),
 * but lets the visitor click the page; a few times a second at most, so two traps never spin.
 */
function guardFocus(panel: HTMLElement) {
  const root = panel.getRootNode() as ShadowRoot;
  let last = root.activeElement as HTMLElement | null;
  let pointer = 0;
  const taken: number[] = [];
  const onPointer = (e: Event) => {
    if (e.target !== root.host) pointer = Date.now();
  };
  const onFocus = (e: Event) => {
    const now = Date.now();
    const inner = e.composedPath()[0] as HTMLElement;
    if (panel.contains(inner)) last = inner;
    else if (
      e.target !== root.host &&
      last &&
      now - pointer > 500 &&
      taken.filter((at) => now - at < 1000).length < 3
    ) {
      taken.push(now);
      const back = last;
      setTimeout(() => back.focus());
    }
  };
  document.addEventListener('pointerdown', onPointer, true);
  document.addEventListener('focusin', onFocus, true);
  return () => {
    document.removeEventListener('pointerdown', onPointer, true);
    document.removeEventListener('focusin', onFocus, true);
  };
}

/**
 * The launcher's panel: a modal dialog whose focus stays inside — Tab and Shift+Tab wrap, and
 * focus pulled away by the page's own focus manager is taken back. Esc or the close button closes
 * it; the loader returns focus to the launcher.
 */
export function Dialog({ state, open, side, onClose, children }: Props) {
  const el = useRef<HTMLDivElement>(null);
  // Focus still to be placed in this opening: at once, and again once the form is there.
  const pending = useRef(true);
  const isOpen = open.value;
  // Read so that the panel renders again when the form arrives: focus then moves to its first field.
  const view = state.view.value;

  useEffect(() => {
    const panel = el.current;
    if (!panel?.isConnected) {
      pending.current = true;
      return;
    }
    const root = panel.getRootNode() as ShadowRoot;
    const close = panel.firstElementChild;
    // Focus goes to the first field — once the form is there; until then, to the close button.
    if (pending.current && (!panel.contains(root.activeElement) || root.activeElement === close)) {
      const first = nextTabbable(panel, panel.querySelector('.df-title'), false);
      first?.focus();
      pending.current = first === close;
    }
  }, [isOpen, view]);
  // After focus is in: the guard takes it back to where it is now.
  useEffect(() => {
    const panel = el.current;
    return panel?.isConnected ? guardFocus(panel) : undefined;
  }, [isOpen]);

  if (!isOpen) return null;
  return (
    <div
      ref={el}
      id="df-panel"
      class={`df-panel df-${side}`}
      role="dialog"
      aria-modal="true"
      aria-labelledby="df-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        else if (e.key === 'Tab') {
          const root = e.currentTarget.getRootNode() as ShadowRoot;
          nextTabbable(e.currentTarget, root.activeElement, e.shiftKey)?.focus();
        } else return;
        // Ours alone: the page's own Esc and Tab handlers (its modals, its traps) never see it.
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      <button type="button" class="df-close" aria-label={state.t.value('close')} onClick={onClose}>
        ×
      </button>
      {children}
    </div>
  );
}
