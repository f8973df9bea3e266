/**
 * A signed-in customer's identity, vouched for by the owner's site: a JWT (RFC 7519) signed with
 * HS256 by the site's server, keyed with the secret it shares with this backend
 * (DESKIE_FORM_IDENTITY_SECRET). Claims: `email` (required), `name`, `sub` (the customer's id in
 * the site, which the case carries as `user_custom_id`), `exp` (required; unix seconds) and `iat`.
 *
 * Why JWT: the site can sign it with any JWT library or ten lines of HMAC (docs/identity.md), and
 * tools read it. Why checked here rather than with a JWT library: only HS256 is taken, and it is
 * checked with the HMAC the other tokens use (@noble/hashes: synchronous, the same on Node, Lambda
 * and Workers), which leaves nothing to configure wrongly — no `alg: none`, no key confusion, no
 * other algorithm at all.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as z from 'zod';
import type { Clock } from './clock';
import { ApiError } from './errors';

/** A customer the owner's site vouches for. */
export interface Identity {
  email: string;
  name?: string;
  /** The customer's id in the owner's site (Deskie's `user_custom_id`). */
  externalId?: string;
  /** Epoch ms. */
  expiresAt: number;
}

const header = z.object({ alg: z.literal('HS256'), typ: z.optional(z.literal('JWT')) });
const claims = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200).optional(),
  sub: z.union([z.string().min(1).max(255), z.number().int()]).optional(),
  exp: z.number(),
  iat: z.number().optional(),
  nbf: z.number().optional(),
});

/** Clocks of the site's server and this one may differ by this much. */
const SKEW_S = 60;

const encoder = new TextEncoder();
const fromBase64Url = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
};
const json = (part: string): unknown => {
  const bytes = fromBase64Url(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
};
const sameBytes = (a: Uint8Array, b: Uint8Array) => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
};

const invalid = (why: string) =>
  new ApiError('IDENTITY_INVALID', `The sign-in could not be verified: ${why}.`);

export type IdentityVerifier = (token: string) => Identity;

/**
 * Checks identity tokens signed with `secret`; throws IDENTITY_INVALID for a token forged,
 * altered, malformed, not yet valid or living longer than `maxAgeSeconds`, IDENTITY_EXPIRED for one
 * past its `exp`. Never a silent fallback to an unverified visitor.
 */
export function createIdentityVerifier(
  secret: string,
  clock: Clock,
  maxAgeSeconds = 86_400,
): IdentityVerifier {
  if (secret.length < 32) throw new RangeError('the identity secret must be at least 32 characters');
  const key = encoder.encode(secret);
  return (token) => {
    const parts = token.split('.');
    const [head, body, signature] = parts;
    if (parts.length !== 3 || !head || !body || !signature || token.length > 4096)
      throw invalid('not a token');
    const given = fromBase64Url(signature);
    if (!header.safeParse(json(head)).success) throw invalid('only HS256 tokens are taken');
    if (!given || !sameBytes(given, hmac(sha256, key, encoder.encode(`${head}.${body}`))))
      throw invalid('the signature does not match');
    const parsed = claims.safeParse(json(body));
    if (!parsed.success) throw invalid('it needs an email and an exp');
    const { email, name, sub, exp, nbf } = parsed.data;
    const now = clock.now() / 1000;
    if (exp + SKEW_S < now)
      throw new ApiError('IDENTITY_EXPIRED', 'The sign-in has expired. Please reload the page.');
    if (exp > now + maxAgeSeconds + SKEW_S) throw invalid(`it may live ${maxAgeSeconds} seconds at most`);
    if (nbf !== undefined && nbf > now + SKEW_S) throw invalid('it is not valid yet');
    return {
      email: email.toLowerCase(),
      ...(name ? { name } : {}),
      ...(sub !== undefined ? { externalId: String(sub) } : {}),
      expiresAt: exp * 1000,
    };
  };
}
