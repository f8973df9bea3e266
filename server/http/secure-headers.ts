/**
 * The security headers, defined once for everything the backend serves: the API's answers (on
 * every runtime, through createApp) and, in the demo, its pages — the demo page and its files, the
 * simulator's agent console.
 *
 * The API answers JSON, files as downloads and the widget's scripts — never a page — so it carries
 * the set OWASP's REST Security Cheat Sheet names for API answers, not the dozen of a page's
 * (prefetch control, IE's download options, Flash's cross-domain policies, the XSS auditor's switch,
 * agent clusters: none of them does anything to a JSON answer, and each was written on every one):
 * no sniffing, no framing at all, HTTPS only, stored nowhere unless a route says otherwise
 * (the definition is revalidated, the widget's files are kept). No referrer either: a reply's file
 * link is a capability, and must not leak from whatever opens it.
 */
import { secureHeaders } from 'hono/secure-headers';

const NO_REFERRER = 'no-referrer';
const HSTS = 'max-age=15552000; includeSubDomains';

/**
 * Every API answer's security headers, as written (answer.ts), with the request's id: one object
 * literal, so every answer's headers start with one shape. Spreading a constant into a new object
 * and adding to it cost V8 ~1 µs per property added (each such object gets a shape of its own),
 * ~12 µs a definition answer in all; a literal and additions to it, ~0.2.
 */
export const apiHeaders = (requestId: string): Record<string, string> => ({
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': NO_REFERRER,
  'Strict-Transport-Security': HSTS,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-Request-Id': requestId,
});

/**
 * A page's (Hono's secureHeaders): the API's referrer, sniffing and HSTS rules and a page's others,
 * plus a Content-Security-Policy under which it runs and styles only what its own origin serves —
 * no inline script or style, which the widget needs none of — posts forms only to itself, and is
 * framed only by its own origin (as X-Frame-Options says). The cross-origin resource and opener
 * policies stay off: sites elsewhere load the widget's files.
 */
export const pageHeaders = () =>
  secureHeaders({
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    referrerPolicy: NO_REFERRER,
    strictTransportSecurity: HSTS,
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
