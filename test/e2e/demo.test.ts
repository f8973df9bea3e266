/**
 * The demo page as `npm start` serves it, under its own Content-Security-Policy, in real Chromium:
 * nothing refused by the policy, nothing missing (its icon included), no layout shift while the
 * inline form arrives — in each of its languages, wide and narrow — and axe-core's audit,
 * contrast included.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, haveBrowser, launch, type Site, startSite, watchErrors } from './browser';
import { layoutShift, shiftWatchedPage } from './shift';

/** Waits until the inline form's box holds the form's height (box.ts has seen the form). */
const formHeld = (page: Page) =>
  page.locator('#inline-widget deskie-form').evaluate(
    (host) =>
      new Promise<void>((resolve) => {
        const check = () =>
          (host as HTMLElement).style.getPropertyValue('--df-h') ? resolve() : requestAnimationFrame(check);
        check();
      }),
  );

describe.runIf(haveBrowser)('the demo page in Chromium', () => {
  let site: Site;
  let context: BrowserContext;

  beforeAll(async () => {
    site = await startSite();
    context = await launch();
  }, 60_000);

  it('loads under its CSP with nothing refused or missing, and passes axe, contrast included', async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    const answer = await page.goto(`${site.origin}/`);
    expect(answer?.headers()['content-security-policy']).toContain("style-src 'self'");
    await page.locator('#inline-widget deskie-form').getByRole('button', { name: 'Send' }).waitFor();
    await formHeld(page);
    const icon = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '/favicon.ico';
      return (await fetch(href)).status;
    });
    expect(icon).toBe(200);
    expect(failed).toEqual([]);
    // A refused inline style or script is a console error.
    expect(errors).toEqual([]);
    await expectAccessible(page, 'demo page');
    await page.close();
  }, 60_000);

  it('does not move while the inline form arrives, in each language, wide and narrow', async () => {
    for (const lang of ['en', 'ru', 'ar'])
      for (const width of [1000, 360]) {
        const page = await shiftWatchedPage(context, width, 1400);
        const told: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'info') told.push(message.text());
        });
        await page.goto(`${site.origin}/?lang=${lang}`);
        await page.locator('#inline-widget deskie-form .df-send').waitFor();
        await formHeld(page);
        const { shifts, cls } = await layoutShift(page);
        expect(cls, `${lang} at ${width} px: ${JSON.stringify(shifts)}`).toBeLessThanOrEqual(0.01);
        // The room the page reserves is enough: the widget has nothing to tell it.
        expect(told, `${lang} at ${width} px`).toEqual([]);
        await page.close();
      }
  }, 120_000);
});
