import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** SHA-256 as hex, over text or bytes. */
export const sha256Hex = (data: string | Uint8Array): string =>
  bytesToHex(sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data));

/** `bytes` random bytes as hex (secrets, ids). */
export const randomHex = (bytes: number): string => bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * `count` (at most 24) random base-32 characters, from one random UUID's 120 random bits. The
 * platform draws UUIDs from a pool of randomness it fills in bulk, so one costs a fifth of a
 * microsecond; a getRandomValues call for 20 bytes (one trip to the system's generator each) cost
 * ~3 µs, a tenth of what accepting a submission spends outside the database.
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

/** Bytes as base-32 characters, five bits of each byte: how receipts are written. */
export function base32(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += BASE32[b & 31];
  return text;
}
