// @vitest-environment happy-dom
/**
 * Every locale the widget speaks, rendered the way a visitor sees it: its own words on the form,
 * its language on the form's root, and right-to-left layout for Arabic, Hebrew and Persian.
 */
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Strings } from '../../widget/strings';
import { tables } from '../../widget/strings/locales';
import { mountApp } from '../helpers/app';
import { demoBackend } from '../helpers/widget';

const locales = Object.keys(tables);
// The demo form, offered in every language the widget speaks.
const backend = await demoBackend({ locales: ['en', ...locales] });

afterEach(cleanup);

describe('widget locales', () => {
  it.each(locales)(
    '%s: the form speaks it, in its direction, and says a missing field in it',
    async (locale) => {
      const words = (await tables[locale]?.()) as Strings;
      mountApp(backend.url, { locale });
      const send = await screen.findByRole('button', { name: words.send as string });
      const root = send.closest('section');
      expect(root?.getAttribute('lang')).toBe(locale);
      expect(root?.getAttribute('dir')).toBe(['ar', 'he', 'fa'].includes(locale) ? 'rtl' : 'ltr');
      expect(screen.getByRole('button', { name: words.attach as string })).toBeTruthy();
      fireEvent.click(send);
      expect((await screen.findAllByText(words.REQUIRED as string)).length).toBeGreaterThan(0);
    },
  );
});
