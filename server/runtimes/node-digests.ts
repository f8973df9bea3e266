/** Digests (core/hash.ts) by Node's crypto: about twice as fast as @noble/hashes for tokens and fingerprints. */
import { createHash, createHmac, createSecretKey } from 'node:crypto';
import type { Digests } from '../core/hash';

export const nodeDigests: Digests = {
  sha256Hex: (data) => createHash('sha256').update(data).digest('hex'),
  hmacSha256(key) {
    const secret = createSecretKey(key);
    return (data) => createHmac('sha256', secret).update(data).digest();
  },
};
