import type { HttpBindings } from '@hono/node-server';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SimState } from './state';

/** The simulator's Hono environment: node bindings when served by Node, the account, the caller. */
export type SimEnv = { Bindings: Partial<HttpBindings>; Variables: { state: SimState; staffId: number } };

/** Deskie's error body `{"error":"<code>"}` (deskie-api.md §7). */
export const deskieError = (
  c: { json: (body: unknown, status: ContentfulStatusCode) => Response },
  error: string,
  status: ContentfulStatusCode = 400,
) => c.json({ error }, status);
