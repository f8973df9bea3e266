/** The widget's words: every locale complete, plurals and dates through Intl, overrides first. */
import { describe, expect, it } from 'vitest';
import { ar } from '../../widget/strings/ar';
import { enFiles } from '../../widget/strings/en-files';
import { enLookup } from '../../widget/strings/en-lookup';
import { en, loadStrings, type Strings, translator } from '../../widget/strings/index';
import { ru } from '../../widget/strings/ru';

/** Every English word: the form's, and those of the lookup views and the file list (their own chunks). */
const english = { ...en, ...enLookup, ...enFiles };

const placeholders = (entry: unknown) =>
  [...JSON.stringify(entry).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('widget strings', () => {
  it.each([
    ['ru', ru],
    ['ar', ar],
  ])('%s has every English key, with the same placeholders', (_, table) => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
    for (const key of Object.keys(english) as (keyof typeof english)[])
      expect([...new Set(placeholders(table[key]))], key).toEqual([...new Set(placeholders(english[key]))]);
  });

  it('loads a locale by its language, and English for one it does not have', async () => {
    expect(await loadStrings('ru-RU')).toBe(ru);
    expect(await loadStrings('ar')).toBe(ar);
    expect(await loadStrings('pt-BR')).toBe(en);
  });

  it('chooses plural forms with Intl.PluralRules, in every language', () => {
    const files = (locale: string, table: Partial<Strings>, count: number) =>
      translator(locale, table)('files', { count, size: '1 MB' });
    expect(files('en', english, 1)).toBe('1 file, 1 MB in total');
    expect(files('en', english, 3)).toBe('3 files, 1 MB in total');
    expect(files('ru', ru, 1)).toBe('1 файл, всего 1 MB');
    expect(files('ru', ru, 3)).toBe('3 файла, всего 1 MB');
    expect(files('ru', ru, 5)).toBe('5 файлов, всего 1 MB');
    expect(files('ar', ar, 2)).toBe('ملفان، 1 MB إجمالًا');
  });

  it('formats waits, sizes and dates for the locale, and lets the page override any string', () => {
    const t = translator('en', en, { send: 'Submit request' });
    expect(t('send')).toBe('Submit request');
    expect(t('RATE_LIMITED', { seconds: t.unit(30, 'second') })).toBe(
      'Too many requests. Please try again in 30 seconds.',
    );
    expect(t.size(10 * 1024 * 1024)).toBe('10 MB');
    expect(t.size(1536)).toBe('1.5 kB');
    expect(t.date('2026-11-28T12:00:00Z')).toMatch(/Nov 28, 2026/);
    expect(translator('ru', ru).unit(5, 'second')).toBe('5 секунд');
    expect(translator('ar', ar).date('not a date')).toBe('not a date');
  });
});
