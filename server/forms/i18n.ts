/** Server-side words: default labels for the standard fields and statuses, and locale matching. */
import { parseAccept } from 'hono/utils/accept';
import type { Localized } from '../config/schema';
import { type Words, words } from './words';

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'yi', 'ps', 'sd', 'ckb', 'dv']);

/** The language part of a tag: `pt-BR` → `pt`. */
const language = (tag: string) => tag.toLowerCase().split('-')[0] ?? '';

/**
 * The best of `available` for `wanted` — a tag, or an Accept-Language list weighed by its q-values
 * (`q=0` means "not this one") — taking an exact tag, then the same language; else the first.
 */
export function pickLocale(wanted: string | undefined, available: readonly string[]): string {
  const first = available[0] ?? 'en';
  if (!wanted) return first;
  const tags = parseAccept(wanted)
    .filter((accepted) => accepted.q > 0)
    .map((accepted) => accepted.type);
  for (const tag of tags) {
    const exact = available.find((a) => a.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const same = available.find((a) => language(a) === language(tag));
    if (same) return same;
  }
  return first;
}

/** Writing direction of a locale. */
export const direction = (locale: string): 'ltr' | 'rtl' => (RTL.has(language(locale)) ? 'rtl' : 'ltr');

/** A configured text in `locale`: its own entry, its language's, the default locale's, or any. */
export function localize(text: Localized | undefined, locale: string, fallback: string): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  return (
    text[locale] ??
    Object.entries(text).find(([tag]) => language(tag) === language(locale))?.[1] ??
    text[fallback] ??
    Object.values(text)[0]
  );
}

/** A built-in word in `locale`, falling back to English. */
export const builtIn = (key: keyof Words, locale: string): string =>
  (words[language(locale)] ?? words.en)?.[key] ?? key;
