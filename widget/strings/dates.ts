/** Dates in the visitor's words, for the lookup views (their chunk brings this; the form shows none). */
import type { Translate } from './index';

const formats = new Map<string, Intl.DateTimeFormat>();

/** `iso` as a date and time in `t`'s locale; as given when it is not a date. */
export function dateIn(t: Translate, iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  let format = formats.get(t.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short' });
    formats.set(t.locale, format);
  }
  return format.format(at);
}
