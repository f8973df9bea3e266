/**
 * The loader: all a page downloads until the form is wanted. It installs the one global
 * `DeskieForm`, replays calls queued before it loaded, puts a host element with a shadow root on
 * the page (and, in launcher mode, the launcher button), and imports the form chunk (app.tsx)
 * when the launcher is hovered, focused or pressed — or at once for an inline form. Nothing it
 * does can throw into the host page.
 */
import type { BootContext, Controller } from './app';
import css from './loader.css?inline';
import { checks, optionsFromDataset, parseOptions, type WidgetOptions } from './options';
import type { WidgetEvent } from './state';

type Listener = (detail: Record<string, unknown>) => void;
type Values = Record<string, string | boolean>;
type Call = [name: string, ...args: unknown[]];

export interface DeskieFormApi {
  /** Mounts a widget (several forms may share a page); the same options as the data-* attributes. */
  init(options: Record<string, unknown>): void;
  /** Opens the launcher dialog (of `form`, or of every launcher widget). */
  open(form?: string): void;
  close(form?: string): void;
  /** Fills fields (name, email, subject, message, cf_<id>). */
  prefill(values: Values, form?: string): void;
  /** Switches the widget's language live (of `form`, or of every widget): a BCP 47 tag. */
  setLocale(tag: string, form?: string): void;
  /** A customer signed in (or out: no token): their identity as the site's server signed it. */
  identify(token?: string, form?: string): void;
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
const LAUNCHER: Record<string, string> = { ru: 'Написать нам', ar: 'تواصل معنا' };

type LoadApp = () => Promise<{ boot(ctx: BootContext): Promise<Controller> }>;
type Emit = (event: WidgetEvent, detail?: Record<string, unknown>) => void;
type Mountable = WidgetOptions & { endpoint: string };

const report = (what: string, error: unknown) => console.error(`[deskie-form] ${what}:`, error);

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

/** The widget's live region, created empty now: one that appears with its message is often not read. */
function liveRegion(root: ShadowRoot) {
  const live = document.createElement('div');
  live.className = 'df-sr';
  live.setAttribute('aria-live', 'polite');
  root.append(live);
  return (text: string) => {
    live.textContent = '';
    setTimeout(() => {
      live.textContent = text;
    }, 50);
  };
}

/** The floating button that opens a launcher's dialog, named in the page's language. */
function launcherButton(options: WidgetOptions, locale: string) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `df-launcher df-${options.position === 'bottom-left' ? 'left' : 'right'}`;
  button.textContent =
    options.launcherText ??
    options.strings.launcher ??
    LAUNCHER[locale.slice(0, 2).toLowerCase()] ??
    'Contact us';
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');
  return button;
}

/**
 * One widget in `parent`, telling the page what happens to it through `emit`: an inline form,
 * loaded at once, or a launcher whose form chunk is imported when the visitor reaches for it.
 */
function createWidget(options: Mountable, parent: Element, loadApp: LoadApp, emit: Emit) {
  const inline = options.mode === 'inline';
  const host = document.createElement('deskie-form');
  host.dataset.deskieForm = options.form;
  host.dataset.theme = options.theme;
  if (options.accent) host.style.setProperty('--df-accent', options.accent);
  const root = host.attachShadow({ mode: 'open' });
  const style = (text: string) => {
    // Constructable stylesheets came with adoptedStyleSheets in every browser (no CSP needed).
    if (root.adoptedStyleSheets) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    } else {
      const el = document.createElement('style');
      if (options.nonce) el.nonce = options.nonce;
      el.textContent = text;
      root.append(el);
    }
  };
  style(css);
  const hooks = { emit, announce: liveRegion(root) };
  parent.append(host);
  // The page's choice, else the browser's languages in order: the backend matches them to the form's.
  let locale = options.locale || document.documentElement.lang || `${navigator.languages}` || 'en';
  let app: Promise<Controller | undefined> | undefined;
  let isOpen = false;
  let button: HTMLButtonElement | undefined;
  const start = () =>
    (app ??= loadApp()
      .then((m) =>
        m.boot({
          root,
          options,
          locale,
          hooks,
          style,
          onClose: inline ? undefined : () => widget.setOpen(false),
        }),
      )
      // Not fetched, or failed to start: said once on the console; the next press tries again.
      .catch((error: unknown) => {
        app = undefined;
        report('the form could not be loaded', error);
        hooks.emit('error', { code: 'NETWORK', message: String(error) });
        return undefined;
      }));

  const widget = {
    options,
    form: options.form,
    host,
    async setOpen(next: boolean) {
      if (!button || next === isOpen) return;
      if (!host.isConnected) document.body.append(host);
      isOpen = next;
      button.setAttribute('aria-expanded', String(next));
      button.setAttribute('aria-busy', 'true');
      const controller = await start();
      button.removeAttribute('aria-busy');
      if (!controller) {
        // The form did not come: the dialog is not open, and the next press tries again.
        isOpen = false;
        button.setAttribute('aria-expanded', 'false');
        return;
      }
      if (isOpen !== next) return;
      // Focus inside the dialog goes back to the launcher when it closes.
      const focused = root.activeElement;
      if (next) controller.open();
      else controller.close();
      if (!next && focused) button.focus();
      hooks.emit(next ? 'open' : 'close');
    },
    prefill(values: Values) {
      options.prefill = { ...options.prefill, ...values };
      void app?.then((c) => c?.prefill(values));
    },
    setLocale(tag: string) {
      locale = tag;
      void app?.then((c) => c?.setLocale(tag));
    },
    unmount() {
      void app?.then((c) => c?.unmount());
      host.remove();
    },
  };
  if (inline) void start().then((c) => c && hooks.emit('ready'));
  else {
    button = launcherButton(options, locale);
    button.onclick = () => widget.setOpen(!isOpen);
    // Fetch the form while the visitor reaches for the button.
    button.onpointerenter = button.onfocus = () => void start();
    root.append(button);
  }
  return widget;
}

type Widget = ReturnType<typeof createWidget>;

/** Installs `window.DeskieForm` unless a copy of the script already did. */
export function install(loadApp: LoadApp, endpoint: string) {
  const queued = window.DeskieForm;
  if (queued?.version) return; // included twice: the first copy stays in charge
  const listeners: Record<string, Set<Listener>> = {};
  const widgets = new Map<string, Widget>();

  const emit = (event: WidgetEvent, detail: Record<string, unknown>) => {
    for (const fn of listeners[event] ?? [])
      try {
        fn(detail);
      } catch (error) {
        report(`a "${event}" listener failed`, error);
      }
    window.dispatchEvent(new CustomEvent(`deskie-form:${event}`, { detail }));
  };

  const mount = (options: Mountable) => {
    const inline = options.mode === 'inline';
    const id = `${options.form} ${options.mode} ${options.target ?? ''}`;
    const old = widgets.get(id);
    if (old?.host.isConnected) return; // init again (an SPA re-rendering): still one widget
    // The page replaced <body>: the launcher goes back, state and all.
    if (old && !inline) return document.body.append(old.host);
    old?.unmount();
    const parent = inline ? document.querySelector(options.target ?? '') : document.body;
    if (!parent) return report('inline target not found', options.target);
    const tell: Emit = (event, detail) => emit(event, { form: options.form, ...detail });
    widgets.set(id, createWidget(options, parent, loadApp, tell));
    // Known before it says it is ready: a "ready" listener may open it at once. (An inline form is
    // ready once it has loaded.)
    if (!inline) tell('ready');
  };

  const each = (form: string | undefined, run: (w: Widget) => void) =>
    whenReady(() => {
      for (const w of widgets.values()) if (!form || w.form === form) run(w);
    });

  const api: DeskieFormApi = {
    version: VERSION,
    init: safe((raw) => {
      const options = parseOptions(raw, { endpoint });
      if (options) whenReady(() => mount({ ...options, endpoint: options.endpoint ?? endpoint }));
    }),
    open: safe((form) => each(form, (w) => w.setOpen(true))),
    close: safe((form) => each(form, (w) => w.setOpen(false))),
    prefill: safe((values, form) => {
      if (checks.prefill[0](values)) each(form, (w) => w.prefill(values));
      else report(`prefill expects ${checks.prefill[1]}`, values);
    }),
    setLocale: safe((tag, form) => each(form, (w) => w.setLocale(tag))),
    identify: safe((token, form) =>
      each(form, (w) => {
        w.options.userToken = token;
      }),
    ),
    on: safe((event, listener) => {
      if (!EVENTS.includes(event) || typeof listener !== 'function') {
        report(`on() expects an event (${EVENTS}) and a function, got`, event);
        return () => {};
      }
      listeners[event] ??= new Set();
      const set = listeners[event];
      set.add(listener);
      return () => set.delete(listener);
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
