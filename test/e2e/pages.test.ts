/**
 * The widget on pages that make life hard, in real Chromium: hostile CSS, a strict
 * Content-Security-Policy, a single-page app that replaces <body>, a network that drops during the
 * send, and right-to-left Arabic in the dark theme.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  haveBrowser,
  keepScreenshot,
  launch,
  PATIENCE,
  pixelDifference,
  type Site,
  startSite,
  watchErrors,
} from './browser';

const filled = {
  Email: 'ann@example.com',
  Subject: 'From a hard page',
  'How can we help?': 'Still works.',
};

/** Fills the required fields of an inline form on `page` and sends it. */
async function fillAndSend(page: Page, subject = filled.Subject) {
  const form = page.locator('deskie-form');
  await form.getByLabel('Email').fill(filled.Email);
  await form.getByLabel('Subject').fill(subject);
  await form.getByLabel('Topic').selectOption({ label: 'Billing' });
  await form.getByLabel('How can we help?').fill(filled['How can we help?']);
  await form.getByRole('button', { name: 'Send' }).click();
}

describe.runIf(haveBrowser)('widget on hard pages in Chromium', () => {
  let site: Site;
  let context: BrowserContext;

  beforeAll(async () => {
    site = await startSite();
    context = await launch();
  }, 60_000);

  it('looks and works the same on a page whose CSS attacks it', async () => {
    const shot = async (file: string) => {
      const page = await context.newPage();
      await page.goto(site.page(file));
      const host = page.locator('deskie-form');
      await host.getByRole('button', { name: 'Send' }).waitFor();
      const png = await host.screenshot();
      return { page, png };
    };
    const plain = await shot('plain.html');
    const hostile = await shot('hostile.html');
    keepScreenshot('inline', plain.png);
    const difference = await pixelDifference(context, plain.png, hostile.png);
    // Text lands on fractional pixels differently on the two pages: a little antialiasing differs.
    expect(difference).toBeLessThan(0.02);
    // The page's `button { display: none !important }` did not hide ours, and it still sends.
    const errors = watchErrors(hostile.page);
    await fillAndSend(hostile.page, 'From a hostile page');
    await hostile.page
      .locator('deskie-form')
      .getByRole('heading', { name: /^Thank you/ })
      .waitFor();
    expect((await site.cases()).map((c) => c.subject)).toContain('From a hostile page');
    expect(errors).toEqual([]);
    await plain.page.close();
    await hostile.page.close();
  }, 60_000);

  it('renders styled and sends under a strict Content-Security-Policy, with no violation', async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportViolation(t: string): void }).reportViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      ),
    );
    const answer = await page.goto(site.page('csp.html'));
    expect(answer?.headers()['content-security-policy']).toBe(
      "default-src 'self'; style-src 'self'; script-src 'self'",
    );
    const send = page.locator('deskie-form').getByRole('button', { name: 'Send' });
    await send.waitFor();
    // Styled: our accent colour and font, not the browser's defaults.
    expect(await send.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(36, 87, 214)');
    expect(await send.evaluate((el) => getComputedStyle(el).fontSize)).toBe('15px');
    await fillAndSend(page, 'Under a strict CSP');
    await page
      .locator('deskie-form')
      .getByRole('heading', { name: /^Thank you/ })
      .waitFor();
    expect((await site.cases()).map((c) => c.subject)).toContain('Under a strict CSP');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await expectAccessible(page, 'inline success');
    await page.close();
  }, 60_000);

  it('survives a single-page app that replaces <body>, initialises twice and navigates', async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(site.page('spa.html'));
    const launcher = page.getByRole('button', { name: 'Contact us' });
    await launcher.waitFor();
    await launcher.click();
    await page.getByRole('dialog').getByLabel('Subject').fill('Typed before the app moved on');
    await page.evaluate(() => (window as unknown as { renderPage(t: string): void }).renderPage('Orders'));
    await page.evaluate(() => (window as unknown as { renderPage(t: string): void }).renderPage('Account'));
    await page.goBack();
    expect(await page.locator('deskie-form').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Account' }).count()).toBe(1);
    // Still one widget, still working — with what was typed.
    const dialog = page.getByRole('dialog');
    if ((await dialog.count()) === 0) await launcher.click();
    expect(await dialog.getByLabel('Subject').inputValue()).toBe('Typed before the app moved on');
    await dialog.getByLabel('Email').fill('ann@example.com');
    await dialog.getByLabel('Topic').selectOption({ label: 'Billing' });
    await dialog.getByLabel('How can we help?').fill('From an SPA.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByRole('heading', { name: /^Thank you/ }).waitFor();
    expect((await site.cases()).filter((c) => c.subject === 'Typed before the app moved on')).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('keeps a request sent while the network is down and files it once, when it is back', async () => {
    const page = await context.newPage();
    await page.goto(site.page('plain.html'));
    const form = page.locator('deskie-form');
    await form.getByRole('button', { name: 'Send' }).waitFor();
    await context.setOffline(true);
    await fillAndSend(page, 'Sent through a tunnel');
    await expect
      .poll(() => form.getByRole('alert').textContent(), PATIENCE)
      .toBe('You are offline. Your request will be sent when you are back online.');
    expect((await site.cases()).filter((c) => c.subject === 'Sent through a tunnel')).toHaveLength(0);
    await context.setOffline(false);
    await form.getByRole('heading', { name: /^Thank you/ }).waitFor(PATIENCE);
    expect((await site.cases()).filter((c) => c.subject === 'Sent through a tunnel')).toHaveLength(1);
    await page.close();
  }, 60_000);

  it('lays Arabic out right to left, in the dark theme', async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(site.page('rtl.html'));
    const launcher = page.getByRole('button', { name: 'تواصل معنا' });
    await launcher.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'راسل فريق الدعم' }).waitFor();
    const section = dialog.locator('section');
    expect(await section.getAttribute('dir')).toBe('rtl');
    expect(await section.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    // Dark: light text on a dark panel; right to left: labels start at the right edge.
    expect(await section.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(31, 32, 35)');
    const label = await dialog.locator('label[for="df-email"]').boundingBox();
    const panel = await dialog.boundingBox();
    expect((panel?.x ?? 0) + (panel?.width ?? 0) - ((label?.x ?? 0) + (label?.width ?? 0))).toBeLessThan(24);
    expect((panel?.x ?? 0) < 40).toBe(true); // data-position="bottom-left"
    await dialog.getByRole('button', { name: 'إرسال' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), PATIENCE)
      .toContain('يُرجى مراجعة هذه الحقول');
    await expectAccessible(page, 'rtl dark errors');
    keepScreenshot('rtl-dark', await page.screenshot());
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
