/**
 * Signed tokens (HMAC-SHA-256 over Web Crypto, so every runtime has it): the form token dates when
 * a form was shown; the lookup token is the capability to read one request's status. Rotating the
 * secret revokes every token at once. Each purpose signs in its own domain, so one kind of token
 * can never pass for another.
 */

const encoder = new TextEncoder();

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export type TokenPurpose = 'form' | 'lookup';

export interface Signer {
  /** `<payload>.<signature>`, both base64url. */
  sign(purpose: TokenPurpose, payload: Record<string, unknown>): Promise<string>;
  /** The payload, or undefined when the token is malformed, forged or of another purpose. */
  verify(purpose: TokenPurpose, token: string): Promise<Record<string, unknown> | undefined>;
}

/** A signer keyed by `secret` (at least 32 characters). */
export function createSigner(secret: string): Signer {
  if (secret.length < 32) throw new RangeError('the signing secret must be at least 32 characters');
  const key = crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  const signed = (purpose: TokenPurpose, body: string) => encoder.encode(`deskie-form:${purpose}:${body}`);
  return {
    async sign(purpose, payload) {
      const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, signed(purpose, body)));
      return `${body}.${toBase64Url(mac)}`;
    },
    async verify(purpose, token) {
      const [body, mac, extra] = token.split('.');
      if (!body || !mac || extra !== undefined || token.length > 1024) return undefined;
      const signature = fromBase64Url(mac);
      const json = fromBase64Url(body);
      if (!signature || !json) return undefined;
      // crypto.subtle.verify compares in constant time.
      if (!(await crypto.subtle.verify('HMAC', await key, signature, signed(purpose, body))))
        return undefined;
      try {
        const payload: unknown = JSON.parse(new TextDecoder().decode(json));
        return payload && typeof payload === 'object' && !Array.isArray(payload)
          ? (payload as Record<string, unknown>)
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
