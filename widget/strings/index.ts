/**
 * The widget's words: English bundled, other locales loaded on demand (their own small chunks),
 * per-string overrides from the options, plurals through Intl.PluralRules, sizes and durations
 * through Intl formatters (dates: dates.ts, with the lookup views that show them).
 */
import { type Entry, en, type StringKey, type Strings } from './en';

/**
 * The strings table for `locale`; English when we have none (or it cannot load). English needs no
 * fetch; any other tag goes through the locales index (locales.ts), a chunk of its own.
 */
export const loadStrings = (locale: string): Promise<Partial<Strings>> =>
  /^en\b/i.test(locale)
    ? Promise.resolve(en)
    : import('./locales')
        .then((m): Promise<Partial<Strings>> | Partial<Strings> => m.load(locale) ?? en)
        .catch(() => en);

export type Vars = Record<string, string | number>;
export type Translate = ((key: StringKey, vars?: Vars) => string) & {
  locale: string;
  /** A number with a unit, in words: `30 seconds`, `30 секунд`. */
  unit(value: number, unit: string): string;
  size(bytes: number): string;
};

/** A translator for `locale`: overrides first, then the table, then `english` (the form's by default). */
export function translator(
  locale: string,
  table: Partial<Strings>,
  overrides: Record<string, string> = {},
  english: Partial<Strings> = en,
): Translate {
  const plural = new Intl.PluralRules(locale);
  const t = ((key, vars = {}) => {
    let entry: Entry = overrides[key] ?? table[key] ?? english[key] ?? '';
    if (typeof entry !== 'string') entry = entry[plural.select(Number(vars.count))] ?? entry.other ?? '';
    return entry.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
  }) as Translate;
  t.locale = locale;
  const number = (value: number, unit: string, unitDisplay?: 'long') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 }).format(
      value,
    );
  t.unit = (value, unit) => number(value, unit, 'long');
  t.size = (bytes) =>
    bytes >= 1024 * 1024 ? number(bytes / 1024 / 1024, 'megabyte') : number(bytes / 1024, 'kilobyte');
  return t;
}

export { en, type StringKey, type Strings };
