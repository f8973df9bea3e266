/** Texts in the config: one for every locale, or one per locale. */
import * as z from 'zod';

export const locale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"');
/** A text in one language for all locales, or per locale: `"Name"` or `{"en":"Name","ru":"Имя"}`. */
export const localized = z.union([z.string().min(1), z.record(locale, z.string().min(1))]);
export type Localized = z.infer<typeof localized>;
