/**
 * Puts one widget on the page: a host element with an open shadow root, the styles adopted as a
 * constructable stylesheet (or, where that is missing, a <style> carrying the page's nonce), and
 * the Preact tree inside. The host page's CSS cannot reach in; ours cannot leak out.
 */
import { signal } from '@preact/signals';
import { h, render } from 'preact';
import { createApi } from './api';
import { App } from './components/App';
import { Launcher } from './components/Launcher';
import type { WidgetOptions } from './options';
import { createWidgetState } from './state';
import css from './styles.css?inline';

export interface Mounted {
  open(): void;
  close(): void;
  unmount(): void;
}

/** Mounts the widget described by `options` (with an endpoint); undefined when its target is missing. */
export function mountWidget(options: WidgetOptions & { endpoint: string }): Mounted | undefined {
  const inline = options.mode === 'inline';
  const parent = inline ? (options.target ? document.querySelector(options.target) : null) : document.body;
  if (!parent) {
    console.error(`[deskie-form] inline target "${options.target ?? ''}" not found`);
    return undefined;
  }
  const host = document.createElement('div');
  host.setAttribute('data-deskie-form', options.form);
  host.setAttribute('data-theme', options.theme);
  if (options.accent) host.style.setProperty('--df-accent', options.accent);
  const root = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    if (options.nonce) style.nonce = options.nonce;
    style.textContent = css;
    root.append(style);
  }
  parent.append(host);

  const state = createWidgetState(options, createApi(options.endpoint, options.form));
  const open = signal(false);
  const locale = options.locale ?? document.documentElement.lang ?? navigator.language;
  render(
    inline
      ? h(App, { state, locale })
      : h(Launcher, {
          state,
          locale,
          text: options.launcherText,
          side: options.position === 'bottom-left' ? 'left' : 'right',
          open,
        }),
    root,
  );
  return {
    open: () => {
      open.value = true;
    },
    close: () => {
      open.value = false;
    },
    unmount: () => {
      render(null, root);
      host.remove();
    },
  };
}
