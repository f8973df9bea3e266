/**
 * The loader: all a page downloads until the form is wanted. It installs the one global
 * `DeskieForm`, replays calls queued before it loaded, and puts each widget on the page (host.ts):
 * a host element with a shadow root and, in launcher mode, the launcher button, whose form chunk
 * (app.tsx) is imported when the launcher is hovered, focused or pressed — or at once for an inline
 * form. Nothing it does can throw into the host page.
 */
import { createWidget, type LoadApp, type Mountable, type Widget } from './host';
import { checked, optionsFromDataset, parseOptions, report, valuesOf } from './options';
import type { WidgetEvent } from './state';

type Listener = (detail: Record<string, unknown>) => void;
type Values = Record<string, string | boolean>;
type Call = [name: string, ...args: unknown[]];

/** What `open` may be given instead of a form's id: what to fill in before the dialog opens. */
export interface OpenRequest {
  /** The form whose widgets open; default: every launcher. */
  form?: string;
  /** A request type, selected in the form (the answer named `type`). */
  type?: string;
  /** Values to fill in, as `prefill` takes them. */
  prefill?: Values;
}

export interface DeskieFormApi {
  /** Mounts a widget (several forms may share a page); the same options as the data-* attributes. */
  init(options: Record<string, unknown>): void;
  /** Opens the launcher dialog (of `form`, or of every launcher widget), after filling in what it names. */
  open(target?: string | OpenRequest): void;
  close(form?: string): void;
  /** Fills fields (name, email, subject, message, cf_<id>, type, a hidden value's key). */
  prefill(values: Values, form?: string): void;
  /** Switches the widget's language live (of `form`, or of every widget): a BCP 47 tag. */
  setLocale(tag: string, form?: string): void;
  /** A customer signed in (or out: no token): their identity as the site's server signed it. */
  identify(token?: string, form?: string): void;
  /** Shows the launcher button again (of `form`, or of every launcher). */
  showLauncher(form?: string): void;
  /** Hides the launcher button; `open` still opens its dialog (a page with a button of its own). */
  hideLauncher(form?: string): void;
  /** Removes the widgets of `form`; without one, every widget, every listener and the global. */
  destroy(form?: string): void;
  /** Listens for ready, open, close, submitted or error; returns the function that stops listening. */
  on(event: WidgetEvent, listener: Listener): () => void;
  /** Calls made through the queue stub before the script loaded. */
  q?: Call[];
  version: string;
}

declare global {
  interface Window {
    DeskieForm?: DeskieFormApi;
  }
}

export const VERSION = '0.3.0';
const EVENTS = ['ready', 'open', 'close', 'submitted', 'error'];

/** Runs `run` once the page is parsed: at once, or on DOMContentLoaded. */
const whenReady = (run: () => void) => {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
};

/** Every method reports its own failure instead of throwing into the page. */
const safe =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (...args: A) => {
    try {
      return fn(...args);
    } catch (error) {
      report('DeskieForm call failed', error);
      return undefined as R;
    }
  };

/** Installs `window.DeskieForm` unless a copy of the script already did. */
export function install(loadApp: LoadApp, endpoint: string) {
  const queued = window.DeskieForm;
  if (queued?.version) return; // included twice: the first copy stays in charge
  // `on` listens to the window events: one way for the page to hear, and destroy() ends all at once.
  const listening = new AbortController();
  const widgets = new Map<string, Widget>();

  const mount = (options: Mountable) => {
    const inline = options.mode === 'inline';
    const id = `${options.form} ${options.mode} ${options.target}`;
    const old = widgets.get(id);
    if (old?.host.isConnected) return; // init again (an SPA re-rendering): still one widget
    // The page replaced <body>: the launcher goes back, state and all.
    if (old && !inline) return document.body.append(old.host);
    old?.unmount();
    const parent = inline ? document.querySelector(options.target ?? '') : document.body;
    if (!parent) return report('inline target not found', options.target);
    const widget = createWidget(options, parent, loadApp);
    widgets.set(id, widget);
    // Known before it says it is ready: a "ready" listener may open it at once. (An inline form is
    // ready once it has loaded.)
    if (!inline) widget.emit('ready');
  };

  /** Runs `run` on the widgets of `form` (every widget without one), in order with `init`. */
  const each = (form: unknown, run: (w: Widget, id: string) => void) =>
    checked({ form }) &&
    whenReady(() => {
      for (const [id, w] of widgets) if (form === undefined || w.form === form) run(w, id);
    });

  const api: DeskieFormApi = {
    version: VERSION,
    init: safe((raw) => {
      const options = parseOptions(raw, { endpoint });
      if (options) whenReady(() => mount({ endpoint, ...options }));
    }),
    open: safe((target) => {
      const request = checked(typeof target === 'object' ? { ...target } : { form: target });
      // Filled in first, then opened: the dialog shows the type and values from its first frame.
      if (request)
        each(request.form, (w) => {
          w.prefill(valuesOf(request));
          w.setOpen(true);
        });
    }),
    close: safe((form) => each(form, (w) => w.setOpen(false))),
    prefill: safe((values, form) => checked({ prefill: values }) && each(form, (w) => w.prefill(values))),
    setLocale: safe((tag, form) => each(form, (w) => w.setLocale(tag))),
    identify: safe((token, form) =>
      each(form, (w) => {
        w.options.userToken = token;
      }),
    ),
    showLauncher: safe((form) => each(form, (w) => w.showLauncher(true))),
    hideLauncher: safe((form) => each(form, (w) => w.showLauncher(false))),
    destroy: safe((form) => {
      each(form, (w, id) => {
        w.unmount();
        widgets.delete(id);
      });
      // Without a form: the page as before the script ran, which may include it again.
      if (form === undefined)
        whenReady(() => {
          listening.abort();
          if (window.DeskieForm === api) delete window.DeskieForm;
        });
    }),
    on: safe((event, listener) => {
      if (!EVENTS.includes(event) || typeof listener !== 'function') {
        report(`on expects one of ${EVENTS} and a function`, event);
        return () => {};
      }
      const type = `deskie-form:${event}`;
      const hear = (e: Event) => listener((e as CustomEvent).detail);
      addEventListener(type, hear, { signal: listening.signal });
      return () => removeEventListener(type, hear);
    }),
  };
  window.DeskieForm = api;
  for (const [name, ...args] of queued?.q ?? []) {
    const method = api[name as 'init'] as ((...a: unknown[]) => void) | undefined;
    if (typeof method === 'function') method(...args); // methods only: `version` is a string
  }
}

/** Installs the API and mounts the widget the script tag describes (when it names a form). */
export function start(loadApp: LoadApp, script: HTMLScriptElement | null) {
  try {
    // The backend (and the form chunk) live where the script came from, path prefix included.
    const endpoint = script?.src ? new URL('.', script.src).href.replace(/\/$/, '') : location.origin;
    install(loadApp, endpoint);
    if (script?.dataset.form) window.DeskieForm?.init(optionsFromDataset(script.dataset));
  } catch (error) {
    report('could not start', error);
  }
}
