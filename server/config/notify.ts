/**
 * The config's `notify` block: the owner's webhook, told of every dead letter with a signed POST
 * (docs/delivery.md). Its secret is not here but in DESKIE_FORM_NOTIFY_SECRET, like every secret.
 */
import * as z from 'zod';

/** Hosts an http:// webhook may name: this machine only (tests, a relay beside the backend). */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export const notifyConfig = z.strictObject({
  /** Where notices go: https, so that what a notice says and its signature cross no network in clear. */
  url: z.url({ protocol: /^https?$/ }).refine(
    // Not a URL at all is said once, by the check above.
    (u) => !URL.canParse(u) || u.startsWith('https:') || LOCAL_HOSTS.includes(new URL(u).hostname),
    'must be an https:// URL (http:// only to localhost or 127.0.0.1)',
  ),
  /** How long the webhook has to answer one notice before it is tried again. */
  timeoutSeconds: z.number().min(1).max(30).default(10),
});
