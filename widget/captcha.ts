/**
 * The captcha challenge (Cloudflare Turnstile or hCaptcha), in a chunk of its own with its words
 * and the slot it shows in: fetched with the definition of a form that has one (parts.ts), never
 * for another. Both providers render into the page's own DOM — their script finds its element
 * there and its iframe talks to the page — never into a shadow root. So the challenge goes into an
 * element of the page placed inside the widget's host, and shows inside the form through a named
 * <slot> (CaptchaSlot.tsx): it sits where the form wants it, and stays the page's element.
 */
import type { PublicForm } from '../server/contract';
import type { WidgetState } from './state';

export { CaptchaSlot as Slot } from './components/CaptchaSlot';
export { enCaptcha as en } from './strings/en-captcha';

type CaptchaConfig = NonNullable<PublicForm['captcha']>;

/** What both providers' scripts offer (their APIs match for this much). */
interface Provider {
  render(element: HTMLElement, params: Record<string, unknown>): string | number | null | undefined;
  reset(id?: string | number): void;
  remove?(id: string | number): void;
}

/** Each provider's script, in explicit-render mode, and the global it installs. */
const PROVIDERS = {
  turnstile: {
    script: 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit',
    name: 'turnstile',
  },
  hcaptcha: { script: 'https://js.hcaptcha.com/1/api.js?render=explicit', name: 'hcaptcha' },
} as const;

const globalOf = (name: string) => (window as unknown as Record<string, Provider | undefined>)[name];

/**
 * The provider's global, loading its script once per page: a second widget (or a page that loads
 * the provider itself) finds it there, or finds the script already on its way.
 */
function loadProvider(config: CaptchaConfig, nonce: string | undefined): Promise<Provider> {
  const { script, name } = PROVIDERS[config.provider];
  const ready = globalOf(name);
  if (ready) return Promise.resolve(ready);
  const src = config.script ?? script;
  let tag = document.querySelector<HTMLScriptElement>(`script[data-deskie-captcha="${config.provider}"]`);
  if (!tag) {
    tag = document.createElement('script');
    tag.src = src;
    tag.async = true;
    tag.dataset.deskieCaptcha = config.provider;
    if (nonce) tag.nonce = nonce;
    document.head.append(tag);
  }
  const loading = tag;
  return new Promise((resolve, reject) => {
    const done = () => {
      const provider = globalOf(name);
      if (provider) resolve(provider);
      else reject(new Error(`${config.provider}: the script loaded but installed nothing`));
    };
    loading.addEventListener('load', done, { once: true });
    loading.addEventListener(
      'error',
      () => reject(new Error(`${config.provider}: the script did not load`)),
      {
        once: true,
      },
    );
  });
}

export interface Challenge {
  /** A fresh challenge (a token is good for one check; after a failed send it is spent). */
  reset(): void;
  remove(): void;
}

export interface MountOptions {
  config: CaptchaConfig;
  /** Where the provider renders: an element of the page, slotted into the form. */
  element: HTMLElement;
  locale: string;
  /** The widget's theme: `light`, `dark`, or `auto` (the visitor's system setting). */
  theme: string | null;
  nonce: string | undefined;
  /** A token, or '' when it expired or the challenge failed. */
  onToken(token: string): void;
}

/** Loads the provider if needed and renders its challenge into `element`. */
async function mountCaptcha(options: MountOptions): Promise<Challenge> {
  const { config, element, onToken } = options;
  const provider = await loadProvider(config, options.nonce);
  const id = provider.render(element, {
    sitekey: config.siteKey,
    theme:
      options.theme === 'dark' ||
      (options.theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches)
        ? 'dark'
        : 'light',
    // Turnstile takes `language`, hCaptcha `hl`; each ignores the other's.
    language: options.locale,
    hl: options.locale,
    callback: (token: string) => onToken(token),
    'expired-callback': () => onToken(''),
    // Handled here (the visitor is asked to try again); unhandled, Turnstile throws into the page.
    'error-callback': () => {
      onToken('');
      return true;
    },
  });
  return {
    reset: () => {
      onToken('');
      provider.reset(id ?? undefined);
    },
    remove: () => {
      if (id != null) provider.remove?.(id);
      element.remove();
    },
  };
}

/**
 * Shows the challenge where `box` is in the form: in an element of the page, inside the widget's
 * host and slotted into `box` (outside a shadow root — tests, a page without one — simply in
 * `box`). Returns what takes it away again.
 */
export function attachCaptcha(box: HTMLElement, state: WidgetState, config: CaptchaConfig): () => void {
  const root = box.getRootNode();
  const element = document.createElement('div');
  if (root instanceof ShadowRoot) {
    element.slot = 'df-captcha';
    // It lives in the page's DOM, where the page's CSS reaches it: keep it shown whatever that says.
    element.style.setProperty('display', 'block', 'important');
    root.host.append(element);
  } else box.append(element);
  let gone = false;
  mountCaptcha({
    config,
    element,
    locale: state.form.value?.locale ?? state.t.value.locale,
    theme: root instanceof ShadowRoot ? root.host.getAttribute('data-theme') : null,
    nonce: state.nonce,
    onToken: (token) => {
      state.captcha.token.value = token;
    },
  }).then(
    (challenge) => {
      if (gone) challenge.remove();
      else state.captcha.challenge.value = challenge;
    },
    () => {
      element.remove();
      state.captcha.failed.value = true;
    },
  );
  return () => {
    gone = true;
    state.captcha.challenge.value?.remove();
    state.captcha.challenge.value = undefined;
    state.captcha.token.value = '';
  };
}
