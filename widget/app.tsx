/**
 * The form, loaded on demand: the loader (main.ts) imports this chunk when the launcher is
 * hovered, focused or pressed, or at once for an inline form, and hands it the shadow root.
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { createApi } from './api';
import { App } from './components/App';
import type { WidgetOptions } from './options';
import { createWidgetState, type Hooks } from './state';
import css from './styles.css?inline';

export interface BootContext {
  root: ShadowRoot;
  options: WidgetOptions & { endpoint: string };
  locale: string;
  /** Tells the page what happens to the widget (the loader's window events). */
  emit: Hooks['emit'];
  /** Adds a stylesheet to the shadow root (constructable, or a nonce'd <style>). */
  style(css: string): void;
  /** Launcher mode: called when the dialog closes itself (Esc, ×). */
  onClose?(): void;
}

export interface Controller {
  /** Launcher mode: opens or closes the dialog. */
  setOpen(open: boolean): void;
  prefill(values: Record<string, string | boolean>): void;
  setLocale(tag: string): void;
  unmount(): void;
}

/**
 * Renders the widget into `ctx.root`: the dialog behind the launcher (once its chunk, dialog.ts,
 * is here), or the inline form (whose box.ts comes likewise). Each mode's own code is a chunk of
 * its own, fetched while the form's definition is on its way. A launcher whose dialog could not be
 * fetched leaves nothing behind: the loader tries again at the next press.
 */
export async function boot(ctx: BootContext): Promise<Controller> {
  const { options, onClose } = ctx;
  // What the live region says: emptied first, the words a moment later, so that the same words
  // twice are heard twice.
  const live = signal('');
  const state = createWidgetState(options, ctx.locale, createApi(options.endpoint, options.form), {
    emit: ctx.emit,
    announce(text) {
      live.value = '';
      setTimeout(() => {
        live.value = text;
      }, 50);
    },
    style: ctx.style,
  });
  // The definition comes while the dialog's chunk does.
  void state.load();
  const dialog = onClose && (await import('./dialog'));
  const open = signal(false);
  const container = document.createElement('div');
  ctx.style(css);
  if (dialog) ctx.style(dialog.css);
  ctx.root.append(container);
  // The live region is rendered with the form, before anything is said. A launcher's is inside its
  // dialog: a modal dialog hides the rest of the page, this widget's own nodes included, from
  // screen readers. Words said while that dialog is closed are not heard (nor read as it opens).
  const content = (
    <>
      <div class="df-sr" aria-live="polite">
        {live}
      </div>
      <App state={state} />
    </>
  );
  render(
    dialog ? (
      <dialog.Dialog
        state={state}
        open={open}
        side={options.position === 'bottom-left' ? 'left' : 'right'}
        onClose={onClose}
      >
        {content}
      </dialog.Dialog>
    ) : (
      content
    ),
    container,
  );
  // An inline form lives in the page's flow: its box must not move the page (box.ts, a chunk of
  // its own like the launcher's dialog, here while the definition comes).
  let release: (() => void) | undefined;
  if (!dialog)
    import('./box').then(
      ({ holdBox }) => {
        if (container.isConnected) release = holdBox(ctx.root.host as HTMLElement, container, options.form);
      },
      () => {},
    );
  return {
    setOpen: (next) => {
      open.value = next;
    },
    prefill: state.prefill,
    setLocale: state.setLocale,
    unmount: () => {
      release?.();
      render(null, container);
      container.remove();
    },
  };
}
