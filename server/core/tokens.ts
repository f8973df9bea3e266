/**
 * Signed tokens (HMAC-SHA-256, @noble/hashes: synchronous and the same on every runtime; Web
 * Crypto's async HMAC cost Node ~0.4 ms a call on the thread pool): the form token dates when
 * a form was shown; the lookup token is the capability to read one request's status. Rotating the
 * secret revokes every token at once. Each purpose signs in its own domain, so one kind of token
 * can never pass for another.
 */

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();

/** Equal bytes, compared in time that does not depend on where they differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

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
  const key = encoder.encode(secret);
  const mac = (purpose: TokenPurpose, body: string) =>
    hmac(sha256, key, encoder.encode(`deskie-form:${purpose}:${body}`));
  return {
    async sign(purpose, payload) {
      const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
      return `${body}.${toBase64Url(mac(purpose, body))}`;
    },
    async verify(purpose, token) {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined || token.length > 1024) return undefined;
      const given = fromBase64Url(signature);
      const json = fromBase64Url(body);
      if (!given || !json || !sameBytes(given, mac(purpose, body))) return undefined;
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
