/**
 * The security headers, defined once for everything the backend serves: the API's answers (on
 * every runtime, through createApp) and, in the demo, its pages — the demo page and its files, the
 * simulator's agent console. Hono's secureHeaders gives nosniff, framing by the same origin only,
 * no referrer, HSTS and the rest; the cross-origin resource and opener policies stay off, because
 * sites elsewhere read the API through CORS and load the widget's files.
 */
import { secureHeaders } from 'hono/secure-headers';

const COMMON = { crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false } as const;

/** The API's headers. */
export const apiHeaders = () => secureHeaders(COMMON);

/**
 * A page's: the API's, plus a Content-Security-Policy under which it runs and styles only what its
 * own origin serves — no inline script or style, which the widget needs none of — posts forms only
 * to itself, and is framed only by its own origin (as X-Frame-Options says).
 */
export const pageHeaders = () =>
  secureHeaders({
    ...COMMON,
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
  });
