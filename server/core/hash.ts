import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const encoder = new TextEncoder();

/**
 * SHA-256 and HMAC-SHA-256 as a runtime does them best, for the hot paths (tokens on every
 * definition and submission, a submission's fingerprint): @noble/hashes — synchronous, the same
 * everywhere — by default; where Node's own is faster (SHA-256 of a fingerprint: ~1.3 µs against
 * ~5), the runtime gives it (runtimes/node-digests.ts).
 */
export interface Digests {
  /** SHA-256 as hex; text is hashed as UTF-8. */
  sha256Hex(data: string | Uint8Array): string;
  /** HMAC-SHA-256 under `key`, set up once for many messages. */
  hmacSha256(key: Uint8Array): (data: Uint8Array) => Uint8Array;
}

/** @noble/hashes: every runtime. */
export const webDigests: Digests = {
  sha256Hex: (data) => bytesToHex(sha256(typeof data === 'string' ? encoder.encode(data) : data)),
  hmacSha256(key) {
    // The key's pads hashed once; each message copies that state into one reused instance (the
    // call is synchronous, so nothing else holds it meanwhile) instead of allocating a new pair of
    // hashers: ~4.7 µs a token against ~10 with clone(), and ~6 with Node's createHmac.
    const keyed = hmac.create(sha256, key);
    const scratch = keyed.clone();
    const out = new Uint8Array(32);
    return (data) => {
      keyed._cloneInto(scratch).update(data).digestInto(out);
      return out.slice();
    };
  },
};

/** SHA-256 as hex, over text or bytes (where speed does not matter: see Digests). */
export const sha256Hex = webDigests.sha256Hex;

/** `bytes` random bytes as hex (secrets, ids). */
export const randomHex = (bytes: number): string => bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * `count` (at most 24) random base-32 characters, from one random UUID's 120 random bits. The
 * platform draws UUIDs from a pool of randomness it fills in bulk, so one costs a fifth of a
 * microsecond; a getRandomValues call for 20 bytes (one trip to the system's generator each) cost
 * ~3 µs, 2 % of a queued submission's CPU in a profile.
 */
export function randomBase32(count: number): string {
  if (count > 24) throw new RangeError('a UUID holds 24 random base-32 characters');
  const uuid = crypto.randomUUID();
  let text = '';
  let held = 0;
  let bits = 0;
  for (let i = 0; text.length < count; i++) {
    // xxxxxxxx-xxxx-Mxxx-Nxxx-xxxxxxxxxxxx: the dashes, the version (M) and the variant (N) are fixed.
    if (i === 8 || i === 13 || i === 14 || i === 18 || i === 19 || i === 23) continue;
    const code = uuid.charCodeAt(i);
    held = ((held << 4) | (code <= 57 ? code - 48 : code - 87)) & 0xff;
    bits += 4;
    if (bits >= 5) {
      bits -= 5;
      text += BASE32.charAt((held >> bits) & 31);
    }
  }
  return text;
}

/** The base-32 characters in byte order: a number written with them sorts as the number does. */
const SORTED_BASE32 = '234567abcdefghijklmnopqrstuvwxyz';

/** Characters of a `sortableTime`: 45 bits of milliseconds, enough until the year 3084. */
export const SORTABLE_TIME_CHARS = 9;

/**
 * `ms` (epoch milliseconds) as base-32 characters that sort as the times do. What it is for: ids
 * that start with it are written into a B-tree index next to the ones written just before, not at
 * a random place in it — a batch of random ids touches a page of the index each, and every page
 * touched is a page the database writes to disk again.
 */
export function sortableTime(ms: number): string {
  let text = '';
  let left = Math.max(0, Math.floor(ms));
  for (let i = 0; i < SORTABLE_TIME_CHARS; i++) {
    text = SORTED_BASE32.charAt(left % 32) + text;
    left = Math.floor(left / 32);
  }
  return text;
}

/** Bytes as base-32 characters, five bits of each byte: how receipts are written. */
export function base32(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += BASE32[b & 31];
  return text;
}
