import { type Cell, Live } from '../cells';
import type { WidgetState } from '../state';
import { App } from './App';

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
  open: Cell<boolean>;
  side: 'left' | 'right';
  onClose(): void;
}

/**
 * The launcher's panel: a modal dialog whose focus stays inside — Tab and Shift+Tab wrap, and
 * focus pulled away by the page's own focus manager is taken back (a few times a second at most,
 * so two traps never spin). Esc or the close button closes it; the loader returns focus to the
 * launcher.
 */
export class Dialog extends Live<Props> {
  release?: () => void;
  early?: boolean;
  el?: HTMLElement | null;

  override componentDidUpdate() {
    const panel = this.el;
    if (!this.props.open.value || !panel?.isConnected) {
      this.release?.();
      this.release = undefined;
      return;
    }
    const root = panel.getRootNode() as ShadowRoot;
    const close = panel.firstElementChild;
    // Focus goes to the first field — once the form is there; until then, to the close button.
    if (!this.release || (this.early && root.activeElement === close)) {
      const first = nextTabbable(panel, panel.querySelector('.df-title'), false);
      first?.focus();
      this.early = first === close;
    }
    if (this.release) return;
    let last: HTMLElement | null = root.activeElement as HTMLElement | null;
    let pointer = 0;
    const taken: number[] = [];
    const onPointer = (e: Event) => {
      if (e.target !== root.host) pointer = Date.now();
    };
    const onFocus = (e: Event) => {
      const now = Date.now();
      const inner = e.composedPath()[0] as HTMLElement;
      if (panel.contains(inner)) last = inner;
      // The visitor clicked the page: let them. A script moved focus: bring it back.
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
    this.release = () => {
      document.removeEventListener('pointerdown', onPointer, true);
      document.removeEventListener('focusin', onFocus, true);
    };
  }

  override componentWillUnmount() {
    super.componentWillUnmount();
    this.release?.();
  }

  render({ state, open, side, onClose }: Props) {
    if (!open.value) return null;
    return (
      <div
        ref={(el) => {
          this.el = el;
        }}
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
        <App state={state} />
      </div>
    );
  }
}
