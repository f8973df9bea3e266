/**
 * The one contract shared by the widget and the server: every request, response and error shape
 * lives here and nowhere else. Imports only zod (mini, so the widget can bundle it).
 */
import * as z from 'zod/mini';

/** Every machine-readable error code the product can return. Stable: clients switch on them. */
export const errorCodes = [
  'BAD_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The body of every error response: `{ "error": { "code", "message", "fields"? } }`. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    fields: z.optional(z.record(z.string(), z.string())),
  }),
});

export type ErrorBody = z.infer<typeof errorBody>;
