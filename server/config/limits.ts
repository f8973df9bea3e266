/**
 * The config's `limits` block: what one client may ask of the backend (per address, per form
 * token, per case number), how large a request may be, and — on Node, which owns its sockets —
 * how long a request may take to arrive and how many connections one address may hold.
 */
import * as z from 'zod';
import { MAX_TOTAL_BYTES } from '../deskie/limits';

const rate = (limit: number) =>
  z
    .strictObject({ limit: z.number().int().min(1), windowSeconds: z.number().int().min(1) })
    .default({ limit, windowSeconds: 60 });

const BODY_BYTES = MAX_TOTAL_BYTES + 1024 * 1024;

export const limitsConfig = z
  .strictObject({
    /** Per client IP. */
    submissions: rate(10),
    lookups: rate(30),
    /** Failed lookups of one case number, whoever tries (stops guessing an email). */
    lookupFailuresPerCase: z
      .strictObject({ limit: z.number().int().min(1), windowSeconds: z.number().int().min(1) })
      .default({ limit: 5, windowSeconds: 3600 }),
    /** New submissions one form token may file (a page reused for a second request); then a fresh token. */
    submissionsPerFormToken: z.number().int().min(1).max(1_000_000).default(3),
    /** Largest request body; above it: 413. */
    bodyBytes: z.number().int().min(1024).max(BODY_BYTES).default(BODY_BYTES),
    /** Node: a request's headers must arrive within this; a silent or trickling client is answered 408. */
    headersSeconds: z.number().min(1).max(120).default(10),
    /** Node: the whole request (a 50 MB upload on a slow line included) must arrive within this. */
    requestSeconds: z.number().min(5).max(3600).default(120),
    /**
     * Node: open connections one address may hold at once; past it, 429. Not counted behind a
     * proxy (trustProxy), where every connection comes from the proxy.
     */
    connectionsPerAddress: z.number().int().min(1).max(10_000).default(64),
  })
  .default({
    submissions: { limit: 10, windowSeconds: 60 },
    lookups: { limit: 30, windowSeconds: 60 },
    lookupFailuresPerCase: { limit: 5, windowSeconds: 3600 },
    submissionsPerFormToken: 3,
    bodyBytes: BODY_BYTES,
    headersSeconds: 10,
    requestSeconds: 120,
    connectionsPerAddress: 64,
  });
