/**
 * The embedder's API of deskie-form: `window.DeskieForm`, installed by deskie-form.js. Published
 * as dist/deskie-form.d.ts, which adds `Window['DeskieForm']` (here the loader declares it, with
 * its own type, which test/widget/declaration.test.ts holds to this one).
 */

/** What each event tells its listeners and `deskie-form:<event>` window CustomEvents. */
export interface DeskieFormEvents {
  /** The launcher is on the page, or the inline form is rendered. */
  ready: { form: string };
  /** The launcher's dialog opened. */
  open: { form: string };
  /** The launcher's dialog closed. */
  close: { form: string };
  /** The backend received a request: filed as a case, or queued with a receipt. */
  submitted:
    | { form: string; status: 'created'; caseNumber: string }
    | { form: string; status: 'queued'; receipt: string };
  /** The form could not load, a send failed, or a lookup failed. */
  error: { form: string; code: string; message: string };
}

export type DeskieFormEvent = keyof DeskieFormEvents;

/** Options of `init`, the same as the script tag's data-* attributes (docs/widget.md). */
export type DeskieFormOptions = {
  /** The form's id in the backend's config (required). */
  form: string;
  /** The backend's URL; default: where the script was loaded from. */
  endpoint?: string;
  /** `launcher` (default): a floating button opening a dialog; `inline`: rendered into `target`. */
  mode?: 'launcher' | 'inline';
  /** Inline mode: a CSS selector of the element to render into. */
  target?: string;
  /** A BCP 47 tag; default: `<html lang>`, else the browser's languages. */
  locale?: string;
  /** `auto` (default) follows the visitor's system. */
  theme?: 'light' | 'dark' | 'auto';
  /** A hex colour for buttons and focus rings. */
  accent?: string;
  /** The launcher's corner; default `bottom-right`. */
  position?: 'bottom-right' | 'bottom-left';
  /** The launcher's words (1–60 characters); default: "Contact us" in the locale. */
  launcherText?: string;
  /** A request type selected at first (`data-type`): the same as `prefill: { type }`. */
  type?: string;
  /** Initial field values: name, email, subject, message, cf_<id>, type or a hidden value's key. */
  prefill?: Record<string, string | boolean>;
  /** Facts for the agent (≤ 20 keys, ≤ 500 characters each). */
  context?: Record<string, string>;
  /** Values the page sets without the visitor seeing them (`data-hidden-<key>`): the form's `hidden[]` keys. */
  hidden?: Record<string, string>;
  /** Your own words for any string key (widget/strings/en.ts). */
  strings?: Record<string, string>;
  /** Your CSP nonce, for browsers without constructable stylesheets. */
  nonce?: string;
  /** A signed-in customer's identity, signed by your server (docs/identity.md). */
  userToken?: string;
};

/** What `open` fills in before the dialog opens. */
export interface DeskieFormOpenRequest {
  /** The form whose widgets open; default: every launcher. */
  form?: string;
  /** A request type to select (a value of the form's `types`): the same as `prefill: { type }`. */
  type?: string;
  /** Values to fill in, as `prefill` takes them. */
  prefill?: Record<string, string | boolean>;
}

export interface DeskieForm {
  /** Mounts a widget; again for the same form, mode and target changes nothing. */
  init(options: DeskieFormOptions): void;
  /**
   * Opens the launcher's dialog (of `form`, or of every launcher); given a request, fills in its
   * type and values first (an inline form takes them too): `open({ type: 'order' })`.
   */
  open(target?: string | DeskieFormOpenRequest): void;
  /** Closes it. */
  close(form?: string): void;
  /** Fills fields: `{ email: user.email, name: user.name }`. */
  prefill(values: Record<string, string | boolean>, form?: string): void;
  /** Switches the language live: words and the form's labels; what was typed stays. */
  setLocale(tag: string, form?: string): void;
  /** A customer signed in (their signed identity token) or out (no token). */
  identify(token?: string, form?: string): void;
  /** Shows the launcher button again (of `form`, or of every launcher). */
  showLauncher(form?: string): void;
  /** Hides the launcher button, for a page with a button of its own: `open` still opens the dialog. */
  hideLauncher(form?: string): void;
  /**
   * Removes the widgets of `form` (host elements, launchers, dialogs); without a form, every widget,
   * every `on` listener and `window.DeskieForm`: the page is as before the script ran, and
   * including it again starts afresh.
   */
  destroy(form?: string): void;
  /** Listens for an event; returns the function that stops listening. */
  on<E extends DeskieFormEvent>(event: E, listener: (detail: DeskieFormEvents[E]) => void): () => void;
  /** The loader's version, e.g. `0.3.0`. */
  readonly version: string;
  /** Calls made through the queue stub before the script loaded (replayed once it does). */
  q?: [name: string, ...args: unknown[]][];
}

declare global {
  interface WindowEventMap {
    'deskie-form:ready': CustomEvent<DeskieFormEvents['ready']>;
    'deskie-form:open': CustomEvent<DeskieFormEvents['open']>;
    'deskie-form:close': CustomEvent<DeskieFormEvents['close']>;
    'deskie-form:submitted': CustomEvent<DeskieFormEvents['submitted']>;
    'deskie-form:error': CustomEvent<DeskieFormEvents['error']>;
  }
}
