/** What the visitor is told about a failure: the words for each code they can act on. */
import type { WidgetError, WidgetErrorCode } from './api';
import type { StringKey, Translate } from './strings';

/** Failures told in the words of another key; any other has words of its own (its code), or is SERVER. */
const SAY: Partial<Record<WidgetErrorCode, StringKey>> = {
  DESKIE_UNAVAILABLE: 'UNAVAILABLE',
  NOT_READY: 'UNAVAILABLE',
  CAPTCHA_REQUIRED: 'CAPTCHA',
  VALIDATION_FAILED: 'summary',
  ATTACHMENT_TOO_LARGE: 'ATTACHMENT_REFUSED',
  ATTACHMENT_TYPE_NOT_ALLOWED: 'ATTACHMENT_REFUSED',
  TOO_MANY_ATTACHMENTS: 'ATTACHMENT_REFUSED',
  PAYLOAD_TOO_LARGE: 'ATTACHMENT_REFUSED',
  UNSUPPORTED_MEDIA_TYPE: 'ATTACHMENT_REFUSED',
  // The request was not all in before the server's limit: the same as our own timeout.
  REQUEST_TIMEOUT: 'TIMEOUT',
  // The browser's headers (its cookies, most often) are over the server's limit: nothing the
  // visitor typed is at fault, and nothing of it is lost.
  HEADERS_TOO_LARGE: 'NOT_SENT',
};

/** The visitor-facing words for a failure (with when to try again, where the server said). */
export const describe = (error: WidgetError, t: Translate): string => {
  const vars = { seconds: t.unit(Math.max(1, Math.ceil(error.retryAfter ?? 30)), 'second') };
  // A code with no words of its own (the translator has '' for it) is told as SERVER.
  return t(SAY[error.code] ?? (error.code as StringKey), vars) || t('SERVER', vars);
};
