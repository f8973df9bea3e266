/**
 * Script-tag entry: `<script src="https://…/deskie-form.js" data-form="support" async></script>`.
 * Reads the tag's data-* options (the endpoint defaults to the script's own origin), installs the
 * one global `DeskieForm`, replays calls queued before it loaded, and mounts — whatever the
 * document's readyState. Loading it twice is harmless; nothing is ever thrown into the host page.
 */
import { type Mounted, mountWidget } from './mount';
import { optionsFromDataset, parseOptions } from './options';

type Call = [name: string, ...args: unknown[]];

interface DeskieFormGlobal {
  init(options: Record<string, unknown>): void;
  open(): void;
  close(): void;
  /** Calls made through the queue stub before the script loaded. */
  q?: Call[];
  version: string;
}

declare global {
  interface Window {
    DeskieForm?: DeskieFormGlobal;
  }
}

const VERSION = '0.2.0';

function install() {
  const existing = window.DeskieForm;
  if (existing && existing.version === VERSION) return; // included twice
  const script = document.currentScript as HTMLScriptElement | null;
  const endpoint = script?.src ? new URL(script.src, location.href).origin : location.origin;
  const widgets: Mounted[] = [];

  const whenReady = (run: () => void) => {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
    else run();
  };
  const api: DeskieFormGlobal = {
    version: VERSION,
    init(raw) {
      try {
        const options = parseOptions(raw, { endpoint });
        if (!options?.endpoint) return;
        const withEndpoint = { ...options, endpoint: options.endpoint };
        whenReady(() => {
          const mounted = mountWidget(withEndpoint);
          if (mounted) widgets.push(mounted);
        });
      } catch (error) {
        console.error('[deskie-form] could not start:', error);
      }
    },
    open: () =>
      whenReady(() => {
        for (const w of widgets) w.open();
      }),
    close: () => {
      for (const w of widgets) w.close();
    },
  };
  window.DeskieForm = api;
  for (const [name, ...args] of existing?.q ?? []) {
    const method = api[name as 'init' | 'open' | 'close'];
    if (typeof method === 'function') (method as (...a: unknown[]) => void)(...args);
  }
  if (script?.dataset.form) api.init(optionsFromDataset(script.dataset));
}

try {
  install();
} catch (error) {
  console.error('[deskie-form] could not start:', error);
}
