// @vitest-environment happy-dom
/**
 * A form with a captcha, as the visitor meets it: the challenge must be passed before sending, a
 * refused token asks for a fresh challenge in the form's language, and a passed one files the
 * request — checked by the backend against a stand-in of the provider's siteverify endpoint.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountApp } from '../helpers/app';
import { startCaptchaProvider } from '../helpers/captcha';
import { demoBackend } from '../helpers/widget';

const SECRET = 'widget-captcha-secret';
const provider = await startCaptchaProvider(SECRET);
const { verified } = provider;
const verifyUrl = `${provider.url}/siteverify`;

const backend = await demoBackend(
  { captcha: { provider: 'turnstile', siteKey: 'site-key-1' } },
  {},
  { CAPTCHA_SECRET: SECRET, CAPTCHA_VERIFY_URL: verifyUrl },
);

/** A stand-in for Turnstile's page API: what the widget rendered, and how often it asked for a fresh challenge. */
const turnstile = {
  rendered: [] as {
    element: HTMLElement;
    params: { sitekey: string; callback(token: string): void };
  }[],
  resets: 0,
  render(element: HTMLElement, params: never) {
    this.rendered.push({ element, params });
    return 'widget-1';
  },
  reset() {
    this.resets += 1;
  },
  remove() {},
};
(window as unknown as { turnstile: typeof turnstile }).turnstile = turnstile;

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  return backend.resetCases();
});

const filled = { email: 'ann@example.com', subject: 'Parcel', cf_9: '2', message: 'Late.' };
const send = async () => fireEvent.click(await screen.findByRole('button', { name: 'Send' }));

describe('a form with a captcha', () => {
  it('asks for the challenge first, asks again after a refused one, and files the request once passed', async () => {
    mountApp(backend.url, { prefill: filled });
    await waitFor(() => expect(turnstile.rendered).toHaveLength(1));
    const { params, element } = turnstile.rendered[0]!;
    expect(params).toMatchObject({ sitekey: 'site-key-1', language: 'en' });
    // Rendered in the form (here without a shadow root; in a page, slotted into it).
    expect(element.closest('.df-captcha')).toBeTruthy();
    // The provider's own script is not loaded again when the page already has it.
    expect(document.querySelector('script[data-deskie-captcha]')).toBeNull();

    await send();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Please complete the challenge above the Send button.',
    );
    expect(verified).toEqual([]);

    params.callback('fail-1');
    await send();
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain(
        'The challenge was not passed. Please complete it again, then send.',
      ),
    );
    expect(turnstile.resets).toBe(1);
    expect(verified).toEqual(['fail-1']);

    params.callback('pass-2');
    await send();
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    expect(verified).toEqual(['fail-1', 'pass-2']);
    expect(await backend.cases()).toHaveLength(1);
  });

  it('says so in the form when the challenge cannot be loaded', async () => {
    const installed = (window as unknown as { turnstile?: unknown }).turnstile;
    delete (window as unknown as { turnstile?: unknown }).turnstile;
    try {
      mountApp(backend.url, { prefill: filled });
      await screen.findByRole('heading', { name: 'Contact support' });
      // The widget asked the page for the provider's script; the page could not load it.
      const script = await waitFor(() => {
        const tag = document.querySelector<HTMLScriptElement>('script[data-deskie-captcha="turnstile"]');
        expect(tag?.src).toBe('https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit');
        return tag;
      });
      script?.dispatchEvent(new Event('error'));
      expect((await screen.findByText(/could not be loaded/)).textContent).toBe(
        'The challenge could not be loaded. Please check your connection and reload the page.',
      );
      script?.remove();
    } finally {
      (window as unknown as { turnstile?: unknown }).turnstile = installed;
    }
  });
});
