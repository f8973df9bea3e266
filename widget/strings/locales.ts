/**
 * Every language the widget speaks besides English, each table a chunk of its own, and how a
 * visitor's language tag finds one. This index is a small chunk too: a dozen hashed import paths
 * would not fit the form chunk's budget, and it is fetched alongside the form definition, so it
 * rarely adds to the wait.
 */
import type { Strings } from './en';

export const tables: Record<string, () => Promise<Strings>> = {
  ar: () => import('./ar').then((m) => m.ar),
  de: () => import('./de').then((m) => m.de),
  es: () => import('./es').then((m) => m.es),
  fa: () => import('./fa').then((m) => m.fa),
  fr: () => import('./fr').then((m) => m.fr),
  he: () => import('./he').then((m) => m.he),
  it: () => import('./it').then((m) => m.it),
  ja: () => import('./ja').then((m) => m.ja),
  pl: () => import('./pl').then((m) => m.pl),
  'pt-BR': () => import('./pt').then((m) => m.pt),
  ru: () => import('./ru').then((m) => m.ru),
  tr: () => import('./tr').then((m) => m.tr),
  uk: () => import('./uk').then((m) => m.uk),
  'zh-CN': () => import('./zh').then((m) => m.zh),
};

/**
 * The locale we have for a BCP 47 tag, or undefined: by language (`ru-RU` → `ru`), Portuguese of
 * any region → `pt-BR`, Chinese → `zh-CN` unless the tag asks for Traditional script or a region
 * that writes it (zh-Hant, zh-TW, zh-HK, zh-MO), which Simplified would not serve.
 */
export function match(tag: string): string | undefined {
  const [lang = '', ...rest] = tag.toLowerCase().replace(/_/g, '-').split('-');
  if (lang === 'en') return 'en';
  if (lang === 'pt') return 'pt-BR';
  if (lang === 'zh') return rest.some((s) => /^(hant|tw|hk|mo)$/.test(s)) ? undefined : 'zh-CN';
  // Hebrew's old code `iw` is still sent by some Android browsers.
  const found = lang === 'iw' ? 'he' : lang;
  return found in tables ? found : undefined;
}

/** The first of `tags` we speak (English included), or undefined. */
export const pick = (tags: readonly string[]) => tags.map(match).find(Boolean);

/** The table for the first of `tags` (comma-separated) we speak; undefined for English or none. */
export const load = (tags: string) => tables[pick(tags.split(',')) ?? '']?.();
