// @vitest-environment happy-dom
/**
 * The embedder's calls beyond init, through the real loader and form chunk in a simulated page:
 * open with what to fill in, the launcher hidden and shown, destroy (one form, then everything,
 * and the script starting afresh after it), and each call given nonsense.
 */
import { fireEvent, waitFor } from '@testing-library/preact';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { start } from '../../widget/loader';
import { demoBackend } from '../helpers/widget';

const backend = await demoBackend();
const loadApp = () => import('../../widget/app');

function scriptTag(data: Record<string, string>) {
  const script = document.createElement('script');
  script.src = `${backend.url}/deskie-form.js`;
  for (const [key, value] of Object.entries(data)) script.dataset[key] = value;
  return script;
}

const hosts = (form: string) => [...document.querySelectorAll(`deskie-form[data-deskie-form="${form}"]`)];
const launcher = (form = 'support') =>
  hosts(form)[0]?.shadowRoot?.querySelector<HTMLButtonElement>('button.df-launcher');
const dialog = () => hosts('support')[0]?.shadowRoot?.querySelector('dialog');

beforeAll(() => {
  document.documentElement.lang = 'en';
  document.body.innerHTML = '<main><button id="own-help">Help</button></main>';
  start(loadApp, scriptTag({ form: 'support' }));
  // A second form's launcher: never pressed, so nothing of it is fetched.
  window.DeskieForm?.init({ form: 'sales', position: 'bottom-left' });
});

describe('DeskieForm beyond init', () => {
  it('hides the launcher for a page with a button of its own, which still opens the dialog with what it fills in', async () => {
    window.DeskieForm?.hideLauncher('support');
    const shown = (form?: string) => getComputedStyle(launcher(form) as HTMLElement).display !== 'none';
    expect(shown()).toBe(false);
    expect(shown('sales')).toBe(true); // another form's launcher stays
    const opened = vi.fn();
    const stop = window.DeskieForm?.on('open', opened);
    window.DeskieForm?.open({
      form: 'support',
      type: 'question',
      prefill: { subject: 'Order 1042 is late' },
    });
    await waitFor(() => expect(dialog()?.querySelector('h2')?.textContent).toBe('Contact support'));
    expect(dialog()?.querySelector<HTMLInputElement>('#df-subject')?.value).toBe('Order 1042 is late');
    expect(opened).toHaveBeenCalledWith({ form: 'support' });
    await waitFor(() => expect(launcher()?.getAttribute('aria-expanded')).toBe('true'));
    stop?.();
    // Closed by the page while its own button has focus: the focus stays where the page put it.
    const own = document.querySelector<HTMLButtonElement>('#own-help');
    own?.focus();
    window.DeskieForm?.close('support');
    await waitFor(() => expect(dialog()).toBeNull());
    expect(document.activeElement).toBe(own);
    expect(launcher()?.getAttribute('aria-expanded')).toBe('false');
    window.DeskieForm?.showLauncher();
    expect(shown()).toBe(true);
  });

  it('answers nonsense with one console message each, and throws nothing', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = window.DeskieForm;
    const calls = [
      () => api?.open(42 as never),
      () => api?.open({ type: 7 } as never),
      () => api?.open({ prefill: 'subject' } as never),
      () => api?.hideLauncher({} as never),
      () => api?.destroy(0 as never),
    ];
    for (const call of calls) expect(call).not.toThrow();
    expect(error.mock.calls.map((call) => String(call[0]))).toEqual([
      '[deskie-form] invalid option "form":',
      '[deskie-form] invalid option "type":',
      '[deskie-form] invalid option "prefill":',
      '[deskie-form] invalid option "form":',
      '[deskie-form] invalid option "form":',
    ]);
    error.mockRestore();
    // Nothing was opened, hidden or removed by them.
    expect(dialog()).toBeNull();
    expect(getComputedStyle(launcher() as HTMLElement).display).not.toBe('none');
    expect(document.querySelectorAll('deskie-form')).toHaveLength(2);
  });

  it('removes one form’s widget, then every widget, listener and the global: the page as before, until the script comes again', async () => {
    window.DeskieForm?.destroy('sales');
    expect(hosts('sales')).toHaveLength(0);
    expect(hosts('support')).toHaveLength(1);
    // The dialog was open (and its form loaded) when everything goes.
    fireEvent.click(launcher() as HTMLButtonElement);
    await waitFor(() => expect(dialog()?.querySelector('h2')).not.toBeNull());
    const heard = vi.fn();
    window.DeskieForm?.on('ready', heard);
    window.DeskieForm?.destroy();
    expect(document.querySelectorAll('deskie-form')).toHaveLength(0);
    expect(document.body.innerHTML).toBe('<main><button id="own-help">Help</button></main>');
    expect(window.DeskieForm).toBeUndefined();

    // A single-page app comes back to the route: the script again, a widget again, heard anew.
    start(loadApp, scriptTag({ form: 'support' }));
    expect(hosts('support')).toHaveLength(1);
    expect(launcher()?.textContent).toBe('Contact us');
    expect(heard).not.toHaveBeenCalled(); // the old listener went with the old API
    window.DeskieForm?.destroy();
  });
});
