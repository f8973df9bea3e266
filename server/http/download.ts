/**
 * The headers of a file the backend hands a visitor: always a download, never a page of the API's
 * origin (`Content-Disposition: attachment`, nosniff, a CSP that runs nothing), named safely for
 * every browser (RFC 6266: an ASCII `filename` and the exact `filename*` in UTF-8), and not kept by
 * shared caches.
 */
import { cleanFileName } from '../intake/attachments';

/** RFC 8187's encoding: percent-encoded UTF-8, with the few characters encodeURIComponent leaves. */
const extValue = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment; filename="…"; filename*=UTF-8''…` for `name`, cleaned of paths and control characters. */
export function attachmentDisposition(name: string): string {
  const clean = cleanFileName(name);
  const ascii = clean.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${extValue(clean)}`;
}

/** The headers of a download of `name`, served as `type` (already judged safe). */
export const downloadHeaders = (name: string, type: string, length: number | undefined) => ({
  'Content-Type': type,
  'Content-Disposition': attachmentDisposition(name),
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cache-Control': 'private, no-store',
  ...(length !== undefined ? { 'Content-Length': String(length) } : {}),
});
