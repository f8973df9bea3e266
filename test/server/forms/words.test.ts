/** The server's own words reach visitors in their language: every language whole, right to left where it is written so. */
import { describe, expect, it } from 'vitest';
import { builtIn } from '../../../server/forms/i18n';
import { words } from '../../../server/forms/words';
import { DEMO_CONFIG, startBackend } from '../../helpers/backend';

const LOCALES = [
  'en',
  'ru',
  'ar',
  'he',
  'fa',
  'de',
  'fr',
  'es',
  'pt-BR',
  'it',
  'pl',
  'uk',
  'tr',
  'zh-CN',
  'ja',
];
const RTL = ['ar', 'he', 'fa'];

// The demo form offered in every language, its own texts in English only: the built-in words show.
const [demo] = DEMO_CONFIG.forms;
const t = await startBackend({ config: { forms: [{ ...demo, locales: LOCALES, statusLabels: {} }] } });

describe("the server's words", () => {
  it('are written for every language, each key, none left in English or blank', () => {
    const english = words.en as Record<string, string>;
    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      for (const key of Object.keys(english) as (keyof typeof english)[]) {
        const word = builtIn(key as never, locale);
        expect(word.trim(), `${locale}.${key}`).toBe(word);
        expect(word.length, `${locale}.${key}`).toBeGreaterThan(1);
      }
      // The words a visitor reads most differ from English in every language.
      for (const key of ['name', 'message', 'open', 'waiting', 'closed'] as const)
        expect(builtIn(key, locale), `${locale}.${key}`).not.toBe(english[key]);
    }
  });

  it('label the form in the language asked for, right to left for Arabic, Hebrew and Persian', async () => {
    for (const locale of LOCALES) {
      const answer = await t.app.request(`/v1/forms/support?locale=${locale}`);
      const { form } = (await answer.json()) as {
        form: { locale: string; dir: string; fields: { key: string; label: string }[] };
      };
      expect(form.locale).toBe(locale);
      expect(form.dir).toBe(RTL.includes(locale) ? 'rtl' : 'ltr');
      const name = form.fields.find((f) => f.key === 'name');
      expect(name?.label).toBe(builtIn('name', locale));
    }
  });

  it('serve Brazilian Portuguese and Simplified Chinese to the tags browsers send', async () => {
    const locale = async (accept: string) =>
      (
        (await (
          await t.app.request('/v1/forms/support', { headers: { 'accept-language': accept } })
        ).json()) as {
          form: { locale: string };
        }
      ).form.locale;
    expect(await locale('pt')).toBe('pt-BR');
    expect(await locale('zh-Hans-CN,zh;q=0.9')).toBe('zh-CN');
    expect(await locale('uk-UA')).toBe('uk');
  });
});
