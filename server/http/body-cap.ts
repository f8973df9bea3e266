/**
 * The largest body a request may have, enforced without holding it: a declared Content-Length over
 * the cap is refused before a byte is read; a body without one (chunked) is counted as it streams
 * and cut off past the cap. (Hono's bodyLimit reads a chunked body whole into memory first.)
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../core/errors';

/** Refuses bodies over `maxBytes` with 413 PAYLOAD_TOO_LARGE. */
export function bodyCap(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new ApiError('PAYLOAD_TOO_LARGE', `The request is larger than ${maxBytes} bytes.`);
  return async (c, next) => {
    // Headers first: the body is not touched when they settle it (Node's adapter then reads it
    // straight from the socket, without a Web Request built around it).
    const { method } = c.req;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > maxBytes) throw tooLarge();
      return next();
    }
    const raw = c.req.raw;
    if (!raw.body) return next();
    let size = 0;
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, stream) {
          size += chunk.byteLength;
          if (size > maxBytes) stream.error(tooLarge());
          else stream.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
    return next();
  };
}

/** The ApiError a failed body read stands for, when the cap (or another refusal) cut it off. */
export const refusalIn = (error: unknown): ApiError | undefined =>
  error instanceof ApiError
    ? error
    : error instanceof Error && error.cause instanceof ApiError
      ? error.cause
      : undefined;
