// @vitest-environment happy-dom
/**
 * The launcher's words, drawn by the loader before any strings table could be fetched: on a page
 * in each language the widget speaks, the button says that table's `launcher`, so the loader's
 * own copy of those words cannot drift from the tables. The owner's words still come first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/loader';
import { en, type Strings } from '../../widget/strings';
import { tables } from '../../widget/strings/locales';

// No form chunk here: nothing is hovered or pressed, and one that is asked for is a failure.
const loadApp = () => Promise.reject(new Error('the launcher alone needs no form chunk'));

/** The launcher of `form`, mounted now, as a visitor sees it. */
function launcherOf(form: string) {
  const root = document.querySelector(`deskie-form[data-deskie-form="${form}"]`)?.shadowRoot;
  return root?.querySelector('button')?.textContent;
}

/** A script tag as a site owner writes it. */
function scriptTag(data: Record<string, string>) {
  const script = document.createElement('script');
  script.src = 'https://forms.example.com/deskie-form.js';
  for (const [key, value] of Object.entries(data)) script.dataset[key] = value;
  return script;
}

start(loadApp, scriptTag({ form: 'first' }));
const api = window.DeskieForm;

afterEach(() => {
  document.documentElement.lang = '';
});

describe('the launcher’s words', () => {
  // Every locale's own tag (`pt-BR`, `zh-CN`, `ru`, …), and English.
  const locales = ['en', ...Object.keys(tables)];

  it('covers the fifteen languages the widget speaks', () => {
    expect(locales).toHaveLength(15);
  });

  it.each(locales)('%s: a page in that language shows its launcher word', async (locale) => {
    const words: Partial<Strings> = locale === 'en' ? en : ((await tables[locale]?.()) ?? {});
    document.documentElement.lang = locale;
    api?.init({ form: `page-${locale.toLowerCase()}` });
    expect(launcherOf(`page-${locale.toLowerCase()}`)).toBe(words.launcher);
  });

  it('takes any region of a language, a lower or upper case tag, and the locale option over the page', async () => {
    const pt = await tables['pt-BR']?.();
    const zh = await tables['zh-CN']?.();
    const de = await tables.de?.();
    document.documentElement.lang = 'pt-PT';
    api?.init({ form: 'region' });
    expect(launcherOf('region')).toBe(pt?.launcher);
    document.documentElement.lang = 'ZH-Hans-CN';
    api?.init({ form: 'upper' });
    expect(launcherOf('upper')).toBe(zh?.launcher);
    api?.init({ form: 'option', locale: 'de-AT' });
    expect(launcherOf('option')).toBe(de?.launcher);
  });

  it('says "Contact us" in a language the widget does not speak', () => {
    document.documentElement.lang = 'nl';
    api?.init({ form: 'dutch' });
    expect(launcherOf('dutch')).toBe('Contact us');
  });

  it('shows the owner’s words first: data-launcher-text, then data-string-launcher', () => {
    document.documentElement.lang = 'de';
    start(loadApp, scriptTag({ form: 'tagged', launcherText: 'Hilfe?', stringLauncher: 'Fragen?' }));
    expect(launcherOf('tagged')).toBe('Hilfe?');
    api?.init({ form: 'strings', strings: { launcher: 'Fragen?' } });
    expect(launcherOf('strings')).toBe('Fragen?');
  });
});
