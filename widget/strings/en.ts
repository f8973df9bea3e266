/**
 * English words of the widget: the one table bundled with the form (the lookup views, the file
 * list, the answer after sending, an adaptive form's parts and the captcha bring theirs in their
 * own chunks). Every other locale has
 * every key of all three and is loaded when wanted. An entry with `one`/`other`/… forms is chosen
 * with Intl.PluralRules by its `{count}`.
 */
import type { enAdaptive } from './en-adaptive';
import type { enCaptcha } from './en-captcha';
import type { enDone } from './en-done';
import type { enFiles } from './en-files';
import type { enLookup } from './en-lookup';

export const en = {
  launcher: 'Contact us',
  close: 'Close',
  send: 'Send',
  sending: 'Sending…',
  required: 'required',
  loading: 'Loading the form…',
  loadFailed: 'The form could not be loaded.',
  retry: 'Try again',
  summary: 'Please check these fields:',
  checkStatus: 'Check status',
  lookupTitle: 'Check a request',
  attach: 'Attach files',
  dropHint: 'Or drop or paste them here.',
  attachPolicy: { one: 'Up to {count} file, {size} each.', other: 'Up to {count} files, {size} each.' },
  REQUIRED: 'Please fill this in.',
  TOO_LONG: 'This is too long.',
  INVALID_EMAIL: 'Please enter a valid email address.',
  INVALID_OPTION: 'Please choose one of the options.',
  INVALID_DATE: 'Please enter a valid date.',
  INVALID_TYPE: 'This value is not valid.',
  OFFLINE: 'You are offline. Your request will be sent when you are back online.',
  NETWORK: 'We could not reach the server. Please check your connection and try again.',
  TIMEOUT: 'The server took too long. Please send again — it will not be filed twice.',
  RATE_LIMITED: 'Too many requests. Please try again in {seconds}.',
  UNAVAILABLE: 'The help desk is busy. Please try again in {seconds}.',
  FORM_TOKEN_INVALID: 'The form has expired. Please send again.',
  ATTACHMENT_REFUSED: 'A file was refused. Please remove it and send again.',
  SERVER: 'Something went wrong on our side. Please send again — it will not be filed twice.',
  NOT_SENT: 'Your request could not be sent. What you wrote is still here; please try again later.',
  sent: 'Your request was sent.',
  failed: 'Your request was not sent.',
};

export type StringKey =
  | keyof typeof en
  | keyof typeof enLookup
  | keyof typeof enFiles
  | keyof typeof enAdaptive
  | keyof typeof enCaptcha
  | keyof typeof enDone;
export type Entry = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Strings = Record<StringKey, Entry>;
