/**
 * Signed tokens (HMAC-SHA-256 through core/hash.ts's Digests: synchronous, @noble/hashes on every
 * runtime; Web Crypto's async HMAC cost Node ~0.4 ms a call on the thread pool): the form token
 * dates when a form was shown; the lookup token is the capability to read one request's status.
 * Rotating the secret revokes every token at once. Each purpose signs in its own domain, so one
 * kind of token can never pass for another. Claims are named and typed here, once: encoded by
 * `issue`, checked and decoded by `read`.
 */

import * as z from 'zod';
import { fromBase64Url, toBase64Url } from './base64url';
import { type Digests, webDigests } from './hash';
import { utf8Scratch } from './utf8';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Equal bytes, compared in time that does not depend on where they differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Equal texts (secrets a request presents), compared as `sameBytes` compares. */
export const sameText = (a: string, b: string) => sameBytes(encoder.encode(a), encoder.encode(b));

type Purpose = 'form' | 'lookup' | 'file';

/** Random bytes in a form token's nonce. */
const NONCE_BYTES = 9;

/** When a form was shown, and which: a submission proves it came from a form we served. */
export interface FormClaim {
  formId: string;
  /** Epoch ms. */
  issuedAt: number;
}

/**
 * The capability to read one request's status: its outbox receipt, and once Deskie has it, the
 * case. A token handed out while the request was queued has no case; the outbox supplies it later.
 */
export interface LookupClaim {
  formId: string;
  receipt: string;
  case?: { id: number; number: string };
}

/**
 * A link to one file of support's reply, handed out with a status answer (so only to someone the
 * lookup token, or the case number and email, let in) and good for a while: it names the file
 * without saying where Deskie keeps it.
 */
export interface FileClaim {
  formId: string;
  caseId: number;
  messageId: number;
  fileId: number;
  /** Epoch ms after which the link no longer opens. */
  expiresAt: number;
}

// On the wire the claims keep one-letter keys: tokens travel in URLs and browser storage, and
// tokens already handed out must keep working.
const formWire = z.object({ f: z.string(), t: z.number(), n: z.string().optional() });
const lookupWire = z.object({
  f: z.string(),
  r: z.string(),
  c: z.number().int().optional(),
  n: z.string().optional(),
});

const fileWire = z.object({
  f: z.string(),
  c: z.number().int(),
  m: z.number().int(),
  i: z.number().int(),
  x: z.number(),
});

/** Issues and reads a kind of token; `read` is undefined for anything forged, altered or foreign. */
export interface TokenKind<Claim> {
  issue(claim: Claim): string;
  read(token: string): Claim | undefined;
}

export interface Tokens {
  form: TokenKind<FormClaim>;
  lookup: TokenKind<LookupClaim>;
  file: TokenKind<FileClaim>;
}

/** Tokens signed with `secret` (at least 32 characters), through `digests` (default: @noble/hashes). */
export function createTokens(secret: string, digests: Digests = webDigests): Tokens {
  if (secret.length < 32) throw new RangeError('the signing secret must be at least 32 characters');
  const keyed = digests.hmacSha256(encoder.encode(secret));
  // Each text's bytes are read at once (base64'd, hashed) and dropped: one scratch serves them all.
  const bytesOf = utf8Scratch();
  const mac = (purpose: Purpose, body: string) => keyed(bytesOf(`deskie-form:${purpose}:${body}`));
  const sign = (purpose: Purpose, wire: Record<string, unknown>) => {
    const body = toBase64Url(bytesOf(JSON.stringify(wire)));
    return `${body}.${toBase64Url(mac(purpose, body))}`;
  };
  /** The verified payload of a `<payload>.<signature>` token, or undefined. */
  const verify = (purpose: Purpose, token: string): unknown => {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined || token.length > 1024) return undefined;
    const given = fromBase64Url(signature);
    const json = fromBase64Url(body);
    if (!given || !json || !sameBytes(given, mac(purpose, body))) return undefined;
    try {
      return JSON.parse(decoder.decode(json));
    } catch {
      return undefined;
    }
  };
  // Nonces cut from a pool of random bytes, each byte used once: one call to the system's generator
  // per 455 tokens rather than one per token (a call costs more than the bytes).
  const pool = new Uint8Array(NONCE_BYTES * 455);
  let used = pool.length;
  const nonce = () => {
    if (used === pool.length) {
      crypto.getRandomValues(pool);
      used = 0;
    }
    used += NONCE_BYTES;
    return toBase64Url(pool.subarray(used - NONCE_BYTES, used));
  };
  return {
    form: {
      // A nonce makes each token its own, even two shown in one millisecond: uses are counted per token.
      issue: ({ formId, issuedAt }) => sign('form', { f: formId, t: issuedAt, n: nonce() }),
      read(token) {
        const wire = formWire.safeParse(verify('form', token));
        return wire.success ? { formId: wire.data.f, issuedAt: wire.data.t } : undefined;
      },
    },
    lookup: {
      issue: ({ formId, receipt, case: kase }) =>
        sign(
          'lookup',
          kase ? { c: kase.id, n: kase.number, f: formId, r: receipt } : { r: receipt, f: formId },
        ),
      read(token) {
        const wire = lookupWire.safeParse(verify('lookup', token));
        if (!wire.success) return undefined;
        const { f, r, c, n } = wire.data;
        return {
          formId: f,
          receipt: r,
          ...(c !== undefined && n !== undefined ? { case: { id: c, number: n } } : {}),
        };
      },
    },
    file: {
      issue: ({ formId, caseId, messageId, fileId, expiresAt }) =>
        sign('file', { f: formId, c: caseId, m: messageId, i: fileId, x: expiresAt }),
      read(token) {
        const wire = fileWire.safeParse(verify('file', token));
        if (!wire.success) return undefined;
        const { f, c, m, i, x } = wire.data;
        return { formId: f, caseId: c, messageId: m, fileId: i, expiresAt: x };
      },
    },
  };
}
