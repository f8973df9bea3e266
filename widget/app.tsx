/**
 * The form, loaded on demand: the loader (main.ts) imports this chunk when the launcher is
 * hovered, focused or pressed, or at once for an inline form, and hands it the shadow root.
 */
import { render } from 'preact';
import { createApi } from './api';
import { App } from './components/App';
import { Dialog } from './components/Dialog';
import type { WidgetOptions } from './options';
import { createWidgetState, type Hooks } from './state';
import css from './styles.css?inline';

export interface BootContext {
  root: ShadowRoot;
  options: WidgetOptions & { endpoint: string };
  locale: string;
  hooks: Hooks;
  /** Adds a stylesheet to the shadow root (constructable, or a nonce'd <style>). */
  style(css: string): void;
  /** Launcher mode: called when the dialog closes itself (Esc, ×), so focus returns to the launcher. */
  onClose?(): void;
}

export interface Controller {
  open(): void;
  close(): void;
  prefill(values: Record<string, string | boolean>): void;
  unmount(): void;
}

/** Renders the widget into `ctx.root`: the dialog behind the launcher, or the inline form. */
export function boot(ctx: BootContext): Controller {
  ctx.style(css);
  const state = createWidgetState(
    ctx.options,
    ctx.locale,
    createApi(ctx.options.endpoint, ctx.options.form),
    ctx.hooks,
  );
  const open = state.cell(false);
  const container = document.createElement('div');
  ctx.root.append(container);
  const close = ctx.onClose;
  render(
    close ? (
      <Dialog
        state={state}
        open={open}
        side={ctx.options.position === 'bottom-left' ? 'left' : 'right'}
        onClose={close}
      />
    ) : (
      <App state={state} />
    ),
    container,
  );
  void state.load();
  return {
    open: () => {
      open.value = true;
    },
    close: () => {
      open.value = false;
    },
    prefill: (values) => state.prefill(values),
    unmount: () => render(null, container),
  };
}
