import { en, type Strings } from './en';
import { ru } from './ru';

const tables: Record<string, Strings> = { en, ru };

/** The strings for `locale` (its language), English when we have none. */
export const stringsFor = (locale: string): Strings =>
  tables[locale.toLowerCase().split('-')[0] ?? 'en'] ?? en;

/** Fills `{name}` placeholders. */
export const format = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));

export type { Strings };
