/** The widget's words: every locale complete, plurals and dates through Intl, overrides first. */
import { describe, expect, it } from 'vitest';
import { ar } from '../../widget/strings/ar';
import { dateIn } from '../../widget/strings/dates';
import { de } from '../../widget/strings/de';
import { en, loadStrings, type Strings, translator } from '../../widget/strings/index';
import { match, pick, tables } from '../../widget/strings/locales';
import { pl } from '../../widget/strings/pl';
import { pt } from '../../widget/strings/pt';
import { ru } from '../../widget/strings/ru';
import { zh } from '../../widget/strings/zh';
import { english } from '../helpers/english';

/** Every English word: the form's, and those of the lookup views and the file list (their own chunks). */

const placeholders = (entry: unknown) =>
  [...JSON.stringify(entry).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('widget strings', () => {
  it('speaks at least twelve languages besides English, the three right-to-left ones among them', () => {
    expect(Object.keys(tables).length).toBeGreaterThanOrEqual(12);
    for (const rtl of ['ar', 'he', 'fa']) expect(Object.keys(tables)).toContain(rtl);
  });

  it.each(Object.keys(tables))(
    '%s has every English key, the same placeholders and every plural form its language needs',
    async (locale) => {
      const table = (await tables[locale]?.()) as Strings;
      expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const key of Object.keys(english) as (keyof typeof english)[]) {
        const entry = table[key];
        expect([...new Set(placeholders(entry))], key).toEqual([...new Set(placeholders(english[key]))]);
        expect(typeof entry, key).toBe(typeof english[key]);
        if (typeof entry === 'object') expect(Object.keys(entry).sort(), key).toEqual([...categories].sort());
        for (const text of typeof entry === 'object' ? Object.values(entry) : [entry])
          expect(text.trim(), key).not.toBe('');
      }
    },
  );

  it('loads a locale by its tag, and English for one it does not have', async () => {
    expect(await loadStrings('ru-RU')).toBe(ru);
    expect(await loadStrings('ar')).toBe(ar);
    expect(await loadStrings('de-AT')).toBe(de);
    expect(await loadStrings('pt-BR')).toBe(pt);
    expect(await loadStrings('pt-PT')).toBe(pt);
    expect(await loadStrings('zh-Hans-CN')).toBe(zh);
    expect(await loadStrings('zh-TW')).toBe(en);
    expect(await loadStrings('en-GB')).toBe(en);
    expect(await loadStrings('ko')).toBe(en);
  });

  it('matches a tag to the locale that serves it: pt → pt-BR, zh and zh-Hans → zh-CN, not zh-Hant', () => {
    expect(
      ['pt', 'pt-PT', 'zh', 'zh-Hans', 'zh_CN', 'iw', 'uk-UA', 'EN-us', 'zh-Hant-TW', 'zh-HK', 'ko'].map(
        match,
      ),
    ).toEqual([
      'pt-BR',
      'pt-BR',
      'zh-CN',
      'zh-CN',
      'zh-CN',
      'he',
      'uk',
      'en',
      undefined,
      undefined,
      undefined,
    ]);
    expect(pick(['ko-KR', 'zh-TW', 'fr-CA', 'en'])).toBe('fr');
    expect(pick(['ko', 'sv'])).toBeUndefined();
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
    expect(files('ar', ar, 11)).toBe('11 ملفًا، 1 MB إجمالًا');
    expect(files('pl', pl, 22)).toBe('22 pliki, łącznie 1 MB');
    expect(files('pl', pl, 25)).toBe('25 plików, łącznie 1 MB');
    expect(files('zh-CN', zh, 1)).toBe('1 个文件，共 1 MB');
  });

  it('formats waits, sizes and dates for the locale, and lets the page override any string', () => {
    const t = translator('en', en, { send: 'Submit request' });
    expect(t('send')).toBe('Submit request');
    expect(t('RATE_LIMITED', { seconds: t.unit(30, 'second') })).toBe(
      'Too many requests. Please try again in 30 seconds.',
    );
    expect(t.size(10 * 1024 * 1024)).toBe('10 MB');
    expect(t.size(1536)).toBe('1.5 kB');
    expect(dateIn(t, '2026-11-28T12:00:00Z')).toMatch(/Nov 28, 2026/);
    expect(translator('ru', ru).unit(5, 'second')).toBe('5 секунд');
    expect(dateIn(translator('ar', ar), 'not a date')).toBe('not a date');
  });
});
