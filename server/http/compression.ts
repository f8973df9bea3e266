/**
 * What goes over the wire compressed. The widget's files are compressed once, at build time (brotli
 * and gzip beside each file, vite.config.ts), and the best one a client accepts is sent as it is.
 * JSON answers over a kilobyte are gzipped on the fly with Hono's middleware (CompressionStream:
 * Node, Lambda and Workers all have it; brotli it lacks, and JSON this small gains little from it).
 */
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { parseAccept } from 'hono/utils/accept';

/** A precompressed form of a file: the encoding's name and the suffix of its file. */
export const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
export type Encoding = (typeof ENCODINGS)[number]['name'];

/**
 * The encodings of `offered` the Accept-Encoding header takes, the highest weighed first (ties in
 * our order of preference): `q=0` refuses one, `*` stands for those not named.
 */
export function acceptedEncodings(header: string | undefined, offered: readonly Encoding[]): Encoding[] {
  const accepts = parseAccept(header ?? '');
  const weight = (name: string) =>
    accepts.find((a) => a.type.toLowerCase() === name)?.q ?? accepts.find((a) => a.type === '*')?.q ?? 0;
  return offered
    .map((name) => ({ name, q: weight(name) }))
    .filter((e) => e.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((e) => e.name);
}

/** Gzips JSON answers of at least `threshold` bytes for clients that take it; smaller ones go as they are. */
export function compressJson(threshold = 1024): MiddlewareHandler {
  if (typeof CompressionStream === 'undefined') return (_c, next) => next();
  const gzip = compress({ encoding: 'gzip', threshold, contentTypeFilter: /^application\/json/ });
  return (c, next) => {
    // Most clients take gzip; one that does not costs nothing here.
    if (acceptedEncodings(c.req.header('accept-encoding'), ['gzip']).length === 0) return next();
    return gzip(c, async () => {
      await next();
      // Hono's middleware weighs the size by Content-Length, which a JSON answer does not carry
      // until it is sent: measure it here (a string body, so a cheap copy).
      if (
        c.res.headers.has('Content-Length') ||
        !c.res.headers.get('Content-Type')?.startsWith('application/json')
      )
        return;
      const size = (await c.res.clone().arrayBuffer()).byteLength;
      c.res.headers.set('Content-Length', String(size));
    });
  };
}
