/**
 * One widget on the page, for the loader: a host element with a shadow root — an inline form, its
 * chunk imported at once, or a launcher button whose form chunk (app.tsx) is imported when the
 * visitor reaches for it — and what the JS API does to it.
 */
import type { BootContext, Controller } from './app';
import css from './loader.css?inline';
import { report, type WidgetOptions } from './options';
import type { WidgetEvent } from './state';

export type LoadApp = () => Promise<{ boot(ctx: BootContext): Promise<Controller> }>;
export type Emit = (event: WidgetEvent, detail?: Record<string, unknown>) => void;
export type Mountable = WidgetOptions & { endpoint: string };
type Values = Record<string, string | boolean>;

/**
 * The launcher's words in each language the widget speaks besides English: each strings table's
 * `launcher` (test/widget/launcher-words.test.ts holds them equal), written here because the button
 * is drawn before any table could be fetched. Found by language alone, whatever the region or
 * script: a zh-TW page gets the Simplified words, which the form itself does not give it.
 */
const LAUNCHER: Record<string, string> = {
  ar: 'تواصل معنا',
  de: 'Schreiben Sie uns',
  es: 'Contáctanos',
  fa: 'تماس با ما',
  fr: 'Nous contacter',
  he: 'צרו קשר',
  it: 'Contattaci',
  ja: 'お問い合わせ',
  pl: 'Napisz do nas',
  pt: 'Fale conosco',
  ru: 'Написать нам',
  tr: 'Bize ulaşın',
  uk: 'Напишіть нам',
  zh: '联系我们',
};

/** The floating button that opens a launcher's dialog, named in the page's language. */
function launcherButton(options: WidgetOptions, locale: string) {
  const button = document.createElement('button');
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
 * One widget in `parent`, telling the page what happens to it as `deskie-form:<event>` window
 * events (which `DeskieForm.on` listens to), each naming its form: an inline form,
 * loaded at once, or a launcher whose form chunk is imported when the visitor reaches for it.
 */
export function createWidget(options: Mountable, parent: Element, loadApp: LoadApp) {
  let gone = false;
  // A removed widget says nothing more: a form still loading, or a send under way, when it went.
  const emit: Emit = (event, detail) =>
    gone ||
    dispatchEvent(new CustomEvent(`deskie-form:${event}`, { detail: { form: options.form, ...detail } }));
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
          emit,
          style,
          onClose: inline ? undefined : () => widget.setOpen(false),
        }),
      )
      // Not fetched, or failed to start: said once on the console; the next press tries again.
      .catch((error: unknown) => {
        app = undefined;
        report('the form could not be loaded', error);
        emit('error', { code: 'NETWORK', message: `${error}` });
        return undefined;
      }));

  const widget = {
    emit,
    options,
    form: options.form,
    host,
    async setOpen(next: boolean) {
      if (!button || next === isOpen) return;
      if (!host.isConnected) document.body.append(host);
      isOpen = next;
      button.setAttribute('aria-busy', 'true');
      const controller = await start();
      button.removeAttribute('aria-busy');
      // The form did not come: the dialog stays closed, and the next press tries again.
      if (!controller) isOpen = false;
      // The dialog marks the launcher expanded, and gives focus back to it (components/Dialog.tsx).
      else if (isOpen === next) {
        controller.setOpen(next);
        emit(next ? 'open' : 'close');
      }
    },
    prefill(values: Values) {
      options.prefill = { ...options.prefill, ...values };
      void app?.then((c) => c?.prefill(values));
    },
    setLocale(tag: string) {
      locale = tag;
      void app?.then((c) => c?.setLocale(tag));
    },
    /** Shows or hides the launcher button; the API still opens its dialog. */
    showLauncher(show: boolean) {
      // An inline style: no stylesheet's rule (a display on buttons, say) shows it again.
      if (button) button.style.display = show ? '' : 'none';
    },
    unmount() {
      gone = true;
      void app?.then((c) => c?.unmount());
      host.remove();
    },
  };
  if (inline) void start().then((c) => c && emit('ready'));
  else {
    button = launcherButton(options, locale);
    button.onclick = () => widget.setOpen(!isOpen);
    // Fetch the form while the visitor reaches for the button.
    button.onpointerenter = button.onfocus = () => void start();
    root.append(button);
  }
  return widget;
}

export type Widget = ReturnType<typeof createWidget>;
