import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** SHA-256 as hex, over text or bytes. */
export const sha256Hex = (data: string | Uint8Array): string =>
  bytesToHex(sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data));

/** `bytes` random bytes as hex (secrets, ids). */
export const randomHex = (bytes: number): string => bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Bytes as base-32 characters, five bits of each byte: how receipts are written. */
export function base32(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += BASE32[b & 31];
  return text;
}
