/** What the visitor is told about a failure: the words for each code they can act on. */
import type { WidgetError, WidgetErrorCode } from './api';
import type { StringKey, Translate } from './strings';

/** The words for each failure the visitor can act on; any other is SERVER. */
const SAY: Partial<Record<WidgetErrorCode, StringKey>> = {
  RATE_LIMITED: 'RATE_LIMITED',
  DESKIE_UNAVAILABLE: 'UNAVAILABLE',
  NOT_READY: 'UNAVAILABLE',
  NETWORK: 'NETWORK',
  OFFLINE: 'OFFLINE',
  TIMEOUT: 'TIMEOUT',
  FORM_TOKEN_INVALID: 'FORM_TOKEN_INVALID',
  CAPTCHA_REQUIRED: 'CAPTCHA',
  CAPTCHA_FAILED: 'CAPTCHA_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  VALIDATION_FAILED: 'summary',
  ATTACHMENT_TOO_LARGE: 'ATTACHMENT_REFUSED',
  ATTACHMENT_TYPE_NOT_ALLOWED: 'ATTACHMENT_REFUSED',
  TOO_MANY_ATTACHMENTS: 'ATTACHMENT_REFUSED',
  PAYLOAD_TOO_LARGE: 'ATTACHMENT_REFUSED',
  UNSUPPORTED_MEDIA_TYPE: 'ATTACHMENT_REFUSED',
};

/** The visitor-facing words for a failure (with when to try again, where the server said). */
export const describe = (error: WidgetError, t: Translate): string =>
  t(SAY[error.code] ?? 'SERVER', {
    seconds: t.unit(Math.max(1, Math.ceil(error.retryAfter ?? 30)), 'second'),
  });
