/** Captcha verification with Cloudflare Turnstile or hCaptcha (both take the same siteverify form). */

/** Checks a captcha token with its provider; true when the visitor passed. */
export type CaptchaVerifier = (token: string, ip: string | undefined) => Promise<boolean>;

const SITEVERIFY = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
} as const;

export interface CaptchaOptions {
  provider: keyof typeof SITEVERIFY;
  /** The provider's secret key. */
  secret: string;
  /** Overrides the provider's siteverify address (tests, proxies). */
  url?: string;
  /** Default 5 000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A verifier that asks the provider; a provider that cannot be reached fails closed. */
export function createCaptchaVerifier(options: CaptchaOptions): CaptchaVerifier {
  const { provider, secret, timeoutMs = 5_000, fetch: doFetch = globalThis.fetch } = options;
  const url = options.url ?? SITEVERIFY[provider];
  return async (token, ip) => {
    const form = new URLSearchParams({ secret, response: token });
    if (ip) form.set('remoteip', ip);
    try {
      const answer = await doFetch(url, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await answer.json()) as { success?: unknown };
      return answer.ok && body.success === true;
    } catch {
      return false;
    }
  };
}
