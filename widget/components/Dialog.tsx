import { effect, type Signal } from '@preact/signals';
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
 * The launcher's panel: a native modal <dialog>, shown with showModal() — in the top layer, above
 * anything the page stacks, with the page behind it inert, so neither a pointer, a screen reader's
 * cursor nor the page's own focus manager can reach behind it. Tab and Shift+Tab wrap inside it
 * (a native one lets Tab out to the browser's toolbar); Esc or the close button closes it, and
 * focus goes back to the launcher.
 */
export function Dialog({ state, open, side, onClose, children }: Props) {
  const el = useRef<HTMLDialogElement>(null);
  const early = useRef(false);
  const isOpen = open.value;
  // Read so that the panel renders again when the form arrives: focus then moves to its first field.
  const view = state.view.value;

  // Closed at once, not at the next render: focus goes back to the launcher (host.ts) right after,
  // which an inert page would refuse — focus that was in the widget only: the page may close it
  // from elsewhere.
  useEffect(
    () =>
      effect(() => {
        const panel = el.current;
        if (open.value || !panel) return;
        const root = panel.getRootNode() as ShadowRoot;
        const focused = root.activeElement;
        panel.close();
        const launcher = root.querySelector<HTMLElement>('.df-launcher');
        launcher?.setAttribute('aria-expanded', 'false');
        if (focused) launcher?.focus();
      }),
    [],
  );
  useEffect(() => {
    const panel = el.current;
    // Closed since this render (Esc as the form came): an effect left over must not open it again.
    if (!panel?.isConnected || !open.peek()) return;
    const root = panel.getRootNode() as ShadowRoot;
    const fresh = !panel.open;
    if (fresh) {
      panel.showModal();
      root.querySelector('.df-launcher')?.setAttribute('aria-expanded', 'true');
    }
    // Focus goes to the first field — once the form is there; until then, to the close button.
    if (fresh || (early.current && root.activeElement === panel.firstElementChild)) {
      const first = nextTabbable(panel, panel.querySelector('.df-title'), false);
      first?.focus();
      early.current = first === panel.firstElementChild;
    }
  }, [isOpen, view]);

  if (!isOpen) return null;
  return (
    <dialog
      ref={el}
      id="df-panel"
      class={`df-panel df-${side}`}
      aria-modal="true"
      aria-labelledby="df-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
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
    </dialog>
  );
}
