// @vitest-environment happy-dom
/**
 * The script-tag entry in a simulated page, through the real loader, shadow root and form chunk:
 * queue stub, launcher dialog with its focus trap, events, prefill, inline mounts, SPAs, bad options.
 * (A page script cannot take focus out of the open dialog because the page behind a modal <dialog>
 * is inert — which a simulated DOM does not do: test/e2e/launcher.test.ts checks it in Chromium.)
 */
import { fireEvent, waitFor } from '@testing-library/preact';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { start } from '../../widget/loader';
import { demoBackend } from '../helpers/widget';

const backend = await demoBackend();
const loadApp = () => import('../../widget/app');

/** A script tag as a site owner writes it, loaded from the backend. */
function scriptTag(data: Record<string, string>) {
  const script = document.createElement('script');
  script.src = `${backend.url}/deskie-form.js`;
  for (const [key, value] of Object.entries(data)) script.dataset[key] = value;
  return script;
}

const shadow = (form = 'support', mode?: string) =>
  [...document.querySelectorAll<HTMLElement>(`deskie-form[data-deskie-form="${form}"]`)].find(
    (host) => !mode || (mode === 'inline') === !!host.closest('#help, #help2'),
  )?.shadowRoot as ShadowRoot;

const received: string[] = [];
const windowEvents: string[] = [];

beforeAll(() => {
  document.documentElement.lang = 'en';
  document.body.innerHTML = '<main><button id="page-button">Page</button><div id="help"></div></main>';
  for (const name of ['ready', 'open', 'close', 'submitted', 'error'])
    window.addEventListener(`deskie-form:${name}`, (e) =>
      windowEvents.push(`${name}:${(e as CustomEvent).detail.form}`),
    );
  // The documented queue stub: calls made before the script loads are kept.
  window.DeskieForm = {
    q: [
      ['on', 'ready', () => received.push('ready')],
      ['on', 'open', () => received.push('open')],
      ['on', 'close', () => received.push('close')],
      ['init', { form: 'support', mode: 'inline', target: '#help', accent: '#ff0066' }],
      ['prefill', { subject: 'From the page' }],
    ],
  } as unknown as Window['DeskieForm'];
  start(loadApp, scriptTag({ form: 'support', launcherText: 'Need help?', prefillEmail: 'ann@example.com' }));
});

describe('widget loader', () => {
  it('replays queued calls and mounts inline in a shadow root, touching nothing else on the page', async () => {
    const host = document.querySelector<HTMLElement>('#help > deskie-form[data-deskie-form="support"]');
    expect(host?.style.getPropertyValue('--df-accent')).toBe('#ff0066');
    const root = host?.shadowRoot;
    await waitFor(() => expect(root?.querySelector('h2')?.textContent).toBe('Contact support'));
    expect(root?.querySelectorAll('input, select, textarea').length).toBeGreaterThan(5);
    expect(root?.querySelector<HTMLInputElement>('#df-subject')?.value).toBe('From the page');
    expect(root?.adoptedStyleSheets.length).toBe(2);
    // A live region exists from the start, so what it says later is announced.
    expect(root?.querySelector('[aria-live="polite"]')).not.toBeNull();
    expect(document.head.querySelectorAll('style, link').length).toBe(0);
    expect(received).toContain('ready');
    expect(windowEvents).toContain('ready:support');
  });

  it('puts a named launcher on the page that opens a dialog with the form, trapping focus inside', async () => {
    const root = shadow('support', 'launcher');
    const launcher = root.querySelector('button') as HTMLButtonElement;
    expect(launcher.textContent).toBe('Need help?');
    expect(launcher.getAttribute('aria-haspopup')).toBe('dialog');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    launcher.focus();
    fireEvent.click(launcher);
    const dialog = await waitFor(() => {
      const found = root.querySelector<HTMLElement>('dialog');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    // Expanded once the panel is shown (after the frame that drew it: later on a busy machine).
    await waitFor(() => expect(launcher.getAttribute('aria-expanded')).toBe('true'));
    await waitFor(() => expect(dialog.querySelector('h2')?.textContent).toBe('Contact support'));
    expect((dialog.querySelector('#df-email') as HTMLInputElement).value).toBe('ann@example.com');
    // Focus moves in once the panel is painted.
    await waitFor(() => expect(dialog.contains(root.activeElement)).toBe(true));

    // Tab from the last control wraps to the first, Shift+Tab from the first to the last.
    const controls = [
      ...dialog.querySelectorAll<HTMLElement>(
        'button:not([disabled]), input:not([tabindex="-1"]):not([hidden]), select, textarea',
      ),
    ];
    const first = controls[0] as HTMLElement;
    const last = controls[controls.length - 1] as HTMLElement;
    expect(first.getAttribute('aria-label')).toBe('Close');
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(root.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(root.activeElement).toBe(last);
    const email = dialog.querySelector('#df-email') as HTMLElement;
    email.focus();
    fireEvent.keyDown(email, { key: 'Tab' });
    expect(root.activeElement).toBe(dialog.querySelector('#df-subject'));

    // Esc closes it, and focus is back on the launcher.
    const pageEsc = vi.fn();
    document.addEventListener('keydown', pageEsc);
    fireEvent.keyDown(root.activeElement as HTMLElement, { key: 'Escape' });
    await waitFor(() => expect(root.querySelector('dialog')).toBeNull());
    expect(root.activeElement).toBe(launcher);
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect(pageEsc).not.toHaveBeenCalled(); // the page's own Esc handler never saw it
    document.removeEventListener('keydown', pageEsc);
    expect(received).toEqual(expect.arrayContaining(['open', 'close']));
    expect(windowEvents).toEqual(expect.arrayContaining(['open:support', 'close:support']));
  });

  it('stays closed when Esc comes before the panel has placed focus, which stays on the launcher', async () => {
    const root = shadow('support', 'launcher');
    const launcher = root.querySelector('button') as HTMLButtonElement;
    launcher.focus();
    // Esc the moment the panel is in the page: its focus is placed only after the next paint.
    const pressed = new Promise<void>((resolve) => {
      const watch = new MutationObserver(() => {
        const dialog = root.querySelector('dialog');
        if (!dialog) return;
        watch.disconnect();
        fireEvent.keyDown(dialog, { key: 'Escape' });
        resolve();
      });
      watch.observe(root, { childList: true, subtree: true });
    });
    fireEvent.click(launcher);
    await pressed;
    await waitFor(() => expect(launcher.getAttribute('aria-expanded')).toBe('false'));
    await waitFor(() => expect(root.querySelector('dialog')).toBeNull());
    // Two frames on, when any focus left to place would have been placed: still closed.
    for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
    expect(root.querySelector('dialog')).toBeNull();
    expect(root.activeElement).toBe(launcher);
  });

  it('is harmless when included twice or initialised again by a single-page app', async () => {
    const api = window.DeskieForm;
    start(loadApp, scriptTag({ form: 'support' }));
    expect(window.DeskieForm).toBe(api);
    // init mounts at once (the page has loaded): a second widget would be there now.
    api?.init({ form: 'support', mode: 'inline', target: '#help' });
    expect(document.querySelectorAll('deskie-form')).toHaveLength(2); // one inline, one launcher
    // The page replaces <body> and initialises again: the launcher comes back, still one.
    const launcherHost = shadow('support', 'launcher').host;
    document.body.innerHTML = '<main><div id="help2"></div></main>';
    api?.init({ form: 'support' });
    await waitFor(() => expect(document.body.contains(launcherHost)).toBe(true));
    expect(document.querySelectorAll('deskie-form')).toHaveLength(1);
    api?.init({ form: 'support', mode: 'inline', target: '#help2' });
    await waitFor(() => expect(document.querySelectorAll('deskie-form')).toHaveLength(2));
  });

  it('speaks the page’s language when given none, and styles itself with the page’s nonce where stylesheets cannot be constructed', async () => {
    document.documentElement.lang = 'ru';
    // A browser without constructable stylesheets: shadow roots have no adoptedStyleSheets.
    const own = Object.getOwnPropertyDescriptor(ShadowRoot.prototype, 'adoptedStyleSheets');
    Object.defineProperty(ShadowRoot.prototype, 'adoptedStyleSheets', {
      get: () => undefined,
      configurable: true,
    });
    try {
      document.body.insertAdjacentHTML('beforeend', '<div id="ru-help"></div>');
      window.DeskieForm?.init({ form: 'support', mode: 'inline', target: '#ru-help', nonce: 'n0nce-42' });
      const root = await waitFor(() => {
        const found = document.querySelector('#ru-help > deskie-form')?.shadowRoot;
        expect(found).toBeTruthy();
        return found as ShadowRoot;
      });
      await waitFor(() => expect(root.querySelector('h2')?.textContent).toBe('Написать в поддержку'));
      const styles = [...root.querySelectorAll('style')];
      expect(styles.length).toBe(2);
      expect(styles.every((style) => style.nonce === 'n0nce-42')).toBe(true);
      expect(root.querySelector('button[type="submit"]')?.textContent).toBe('Отправить');
    } finally {
      Reflect.deleteProperty(ShadowRoot.prototype, 'adoptedStyleSheets');
      if (own) Object.defineProperty(ShadowRoot.prototype, 'adoptedStyleSheets', own);
      document.documentElement.lang = 'en';
    }
  });

  it('follows the browser’s languages when the page names none, and switches language live with setLocale', async () => {
    document.documentElement.lang = '';
    // A Portuguese reader who also reads Arabic: the demo form speaks en, ru and ar.
    const languages = vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['pt-BR', 'pt', 'ar']);
    try {
      document.body.insertAdjacentHTML('beforeend', '<div id="any-help"></div>');
      window.DeskieForm?.init({ form: 'support', mode: 'inline', target: '#any-help' });
      const root = await waitFor(() => {
        const found = document.querySelector('#any-help > deskie-form')?.shadowRoot;
        expect(found?.querySelector('h2')?.textContent).toBe('راسل فريق الدعم');
        return found as ShadowRoot;
      });
      expect(root.querySelector('section')?.getAttribute('dir')).toBe('rtl');
      fireEvent.input(root.querySelector('input[name="subject"]')!, {
        target: { value: 'Kept across languages' },
      });
      window.DeskieForm?.setLocale('ru');
      await waitFor(() => expect(root.querySelector('h2')?.textContent).toBe('Написать в поддержку'));
      expect(root.querySelector('section')?.getAttribute('dir')).toBe('ltr');
      expect(root.querySelector('section')?.getAttribute('lang')).toBe('ru');
      expect(root.querySelector('button[type="submit"]')?.textContent).toBe('Отправить');
      expect(root.querySelector<HTMLInputElement>('input[name="subject"]')?.value).toBe(
        'Kept across languages',
      );
    } finally {
      languages.mockRestore();
      document.documentElement.lang = 'en';
    }
  });

  it('reports bad options and calls once on the console, and throws nothing into the page', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => window.DeskieForm?.init({ form: 'support', mode: 'sideways' })).not.toThrow();
    expect(() =>
      window.DeskieForm?.init({ form: 'support', mode: 'inline', target: '#nowhere' }),
    ).not.toThrow();
    expect(() => window.DeskieForm?.prefill({ email: 42 } as never)).not.toThrow();
    expect(() => window.DeskieForm?.on('clicked' as never, () => {})).not.toThrow();
    expect(error.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringMatching(/^\[deskie-form\] invalid option "mode"/),
      expect.stringMatching(/^\[deskie-form\] inline target not found/),
      expect.stringMatching(/^\[deskie-form\] invalid option "prefill"/),
      expect.stringMatching(/^\[deskie-form\] on expects one of ready,open,close,submitted,error/),
    ]);
    error.mockRestore();
  });

  it('passes a signed-in customer’s identity from DeskieForm.identify to the form, which has it checked', async () => {
    // This backend shares no identity secret with the site: every identity is refused, in words.
    // Back in English: an earlier test switched every widget on the page to Russian.
    window.DeskieForm?.setLocale('en');
    const root = shadow('support', 'inline');
    await waitFor(() => expect(root.querySelector('h2')?.textContent).toBe('Contact support'));
    window.DeskieForm?.identify('header.claims.signature', 'support');
    const check = await waitFor(() => {
      const button = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Check a request');
      if (!button) throw new Error('no lookup yet');
      return button;
    });
    fireEvent.click(check);
    await waitFor(() =>
      expect(root.querySelector('[role="alert"]')?.textContent).toBe(
        'We could not confirm who you are. Please reload the page or sign in again.',
      ),
    );
    window.DeskieForm?.identify(undefined, 'support');
  });
});
