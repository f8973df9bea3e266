import { createHmac } from 'node:crypto';

export const IDENTITY_SECRET = 'site-identity-secret-0123456789-abcdef';

/**
 * An identity token as the owner's server signs it (docs/identity.md's Node snippet, written
 * independently of the backend's checker): a JWT, HS256, over `header.claims`.
 */
export function signIdentity(
  claims: Record<string, unknown>,
  secret = IDENTITY_SECRET,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part(header)}.${part(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** Claims of a customer signed in until `nowMs` + an hour. */
export const customer = (nowMs: number, extra: Record<string, unknown> = {}) => ({
  email: 'bea@example.com',
  name: 'Bea Customer',
  sub: 'user-42',
  exp: Math.floor(nowMs / 1000) + 3600,
  ...extra,
});
