/**
 * Every language and every reader, in real Chromium: each locale's form and its error summary
 * with axe (WCAG 2.2 A and AA) at a desktop width and at 320 CSS px (WCAG reflow: 1280 px at
 * 400 % zoom); 200 % zoom of a 1280 px window (640 CSS px); Windows high contrast
 * (forced-colors: active) with visible borders and focus; prefers-reduced-motion;
 * prefers-contrast: more.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Strings } from '../../widget/strings/en';
import { tables } from '../../widget/strings/locales';
import { english } from '../helpers/english';
import {
  expectAccessible,
  haveBrowser,
  keepScreenshot,
  launch,
  PATIENCE,
  type Site,
  startSite,
  watchErrors,
} from './browser';

const locales = ['en', ...Object.keys(tables)];
const words = async (locale: string): Promise<Strings | undefined> =>
  locale === 'en' ? english : await tables[locale]?.();

/** Horizontal scroll of the page, and the widget's visible controls that stick out of the viewport. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const root = document.querySelector('deskie-form')?.shadowRoot;
    const controls = [...(root?.querySelectorAll('input, select, textarea, button, a, label, h2, p') ?? [])];
    const clipped = controls
      .filter((el) => !el.closest('[aria-hidden="true"]'))
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.left < -0.5 || box.right > width + 0.5);
      })
      .map((el) => el.outerHTML.slice(0, 60));
    return { scroll: document.documentElement.scrollWidth - width, clipped };
  });

/** The element focused inside the widget (its shadow root), as tag and class; '' when focus left it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('deskie-form')?.shadowRoot?.activeElement;
    return el ? `${el.tagName.toLowerCase()}.${el.className}` : '';
  });

/** Opens the inline form in `locale` (the page's <html lang>) and waits for its Send button. */
async function openForm(page: Page, site: Site, locale: string) {
  await page.goto(`${site.page('locale.html')}?lang=${locale}`);
  const send = page
    .locator('deskie-form')
    .getByRole('button', { name: (await words(locale))?.send as string });
  await send.waitFor();
  return send;
}

describe.runIf(haveBrowser)('every language and every reader, in Chromium', () => {
  let site: Site;
  let context: BrowserContext;

  beforeAll(async () => {
    // The demo form, offered in every language the widget speaks.
    site = await startSite({ locales });
    context = await launch();
  }, 60_000);

  it.each(locales)(
    '%s: the form and its errors pass axe, at desktop width and at 320 px; focus on the summary',
    async (locale) => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      const send = await openForm(page, site, locale);
      const section = page.locator('deskie-form section');
      expect(await section.getAttribute('lang')).toBe(locale);
      expect(await section.evaluate((el) => getComputedStyle(el).direction)).toBe(
        ['ar', 'he', 'fa'].includes(locale) ? 'rtl' : 'ltr',
      );
      await expectAccessible(page, `${locale} form`);
      keepScreenshot(`locales/${locale}-form`, await page.locator('deskie-form').screenshot());
      await send.click();
      await page.locator('deskie-form .df-summary').waitFor();
      await expectAccessible(page, `${locale} errors`);
      await page.setViewportSize({ width: 320, height: 640 });
      expect(await overflow(page), `${locale} at 320 px`).toEqual({ scroll: 0, clipped: [] });
      await expectAccessible(page, `${locale} errors at 320 px`);
      expect(errors).toEqual([]);
      await page.close();
    },
    60_000,
  );

  it.each(locales)(
    "%s: the answer and the request's status pass axe, focus on each new view",
    async (locale) => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      const t = await words(locale);
      const send = await openForm(page, site, locale);
      const form = page.locator('deskie-form');
      await form.locator('input[name="email"]').fill('ann@example.com');
      await form.locator('input[name="subject"]').fill(`In ${locale}`);
      await form.locator('select[name="cf_9"]').selectOption('2');
      await form.locator('textarea[name="message"]').fill('Where is my parcel?');
      await send.click();
      await form.getByRole('button', { name: t?.checkStatus as string }).click();
      await form.getByRole('button', { name: t?.back as string }).waitFor();
      // Each change of view put focus on the new view's heading, inside the widget.
      await expect.poll(() => focused(page), PATIENCE).toMatch(/^h\d/);
      await expectAccessible(page, `${locale} status`);
      keepScreenshot(`locales/${locale}-status`, await form.screenshot());
      expect(errors).toEqual([]);
      await page.close();
    },
    60_000,
  );

  it('reflows at 200 % zoom (640 CSS px at twice the pixels) with nothing clipped', async () => {
    const zoomed = await context
      .browser()
      ?.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
    const page = await (zoomed ?? context).newPage();
    const send = await openForm(page, site, 'de');
    await send.click();
    await page.locator('deskie-form .df-summary').waitFor();
    expect(await overflow(page)).toEqual({ scroll: 0, clipped: [] });
    await expectAccessible(page, 'de at 200 %');
    await page.close();
    await zoomed?.close();
  }, 60_000);

  it('in Windows high contrast (forced-colors: active) every control keeps a border and focus is seen', async () => {
    const page = await context.newPage();
    await page.emulateMedia({ forcedColors: 'active' });
    const send = await openForm(page, site, 'en');
    const borders = await page.evaluate(() =>
      [
        ...(document
          .querySelector('deskie-form')
          ?.shadowRoot?.querySelectorAll('input, select, textarea, button') ?? []),
      ]
        // Links look like links (underlined); a checkbox's box is drawn by the system itself.
        .filter((el) => !el.closest('[aria-hidden="true"]') && !el.matches('.df-link, [type="checkbox"]'))
        .filter((el) => {
          const style = getComputedStyle(el);
          return style.borderTopStyle === 'none' || style.borderTopWidth === '0px';
        })
        .map((el) => el.outerHTML.slice(0, 60)),
    );
    expect(borders, 'controls without a border').toEqual([]);
    for (const control of [page.locator('deskie-form').getByLabel('Email'), send]) {
      await control.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const ring = await control.evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
      });
      expect(ring.style).not.toBe('none');
      expect(ring.width).toBeGreaterThanOrEqual(2);
    }
    await expectAccessible(page, 'forced colors');
    await page.close();
  }, 60_000);

  it('moves nothing for a reader who asks for reduced motion, and passes axe with more contrast', async () => {
    const page = await context.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce', contrast: 'more' });
    const send = await openForm(page, site, 'en');
    await send.click();
    await page.locator('deskie-form .df-summary').waitFor();
    const moving = await page.evaluate(() => {
      const root = document.querySelector('deskie-form')?.shadowRoot;
      const all = [...(root?.querySelectorAll('*') ?? [])];
      return {
        animations: root?.getAnimations().length,
        timed: all
          .map((el) => getComputedStyle(el))
          .filter(
            (s) => Number.parseFloat(s.transitionDuration) > 0 || Number.parseFloat(s.animationDuration) > 0,
          ).length,
      };
    });
    expect(moving).toEqual({ animations: 0, timed: 0 });
    await expectAccessible(page, 'reduced motion, more contrast');
    await page.close();
  }, 60_000);
});
