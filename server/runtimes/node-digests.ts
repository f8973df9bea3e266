/**
 * Digests (core/hash.ts) on Node: its one-shot crypto.hash for SHA-256 (~0.5 µs a fingerprint;
 * createHash, an object per call, ~1.1; noble ~5).
 * Not for HMAC: createHmac builds a keyed object per call (~6 µs), where noble copies a prepared
 * state into a reused one (~4.7).
 */
import { hash } from 'node:crypto';
import { type Digests, webDigests } from '../core/hash';

export const nodeDigests: Digests = {
  ...webDigests,
  sha256Hex: (data) => hash('sha256', data, 'hex'),
};
