/**
 * A form with a captcha in real Chromium. The provider's script is a stand-in served on 127.0.0.1
 * with Turnstile's page API (render, reset, remove, the callback), and the backend checks tokens
 * against a stand-in of its siteverify endpoint that takes each "pass-" token once. The challenge
 * renders into the page's DOM and shows inside the widget's shadow form through a slot.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startCaptchaProvider } from '../helpers/captcha';
import {
  expectAccessible,
  haveBrowser,
  launch,
  PATIENCE,
  type Site,
  startSite,
  watchErrors,
} from './browser';

const SECRET = 'e2e-captcha-secret';

/** Turnstile's page API, as far as the widget uses it; tokens start with `window.tokenPrefix`. */
const STAND_IN = `window.turnstile = (() => {
  const widgets = new Map();
  let issued = 0;
  return {
    render(element, params) {
      const id = 'w' + (widgets.size + 1);
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      label.append(box, ' I am human');
      box.addEventListener('change', () => {
        if (box.checked) params.callback((window.tokenPrefix || 'pass-') + ++issued);
      });
      element.append(label);
      widgets.set(id, box);
      return id;
    },
    reset(id) { const box = widgets.get(id); if (box) box.checked = false; },
    remove(id) { widgets.delete(id); },
  };
})();`;

describe.runIf(haveBrowser)('captcha in Chromium', () => {
  let site: Site;
  let page: Page;
  let errors: string[];
  let provider: Awaited<ReturnType<typeof startCaptchaProvider>>;
  const dialog = () => page.getByRole('dialog');
  const alert = () => dialog().getByRole('alert');

  beforeAll(async () => {
    provider = await startCaptchaProvider(SECRET, STAND_IN);
    const providerUrl = provider.url;
    site = await startSite(
      { captcha: { provider: 'turnstile', siteKey: 'e2e-site-key', script: `${providerUrl}/turnstile.js` } },
      { CAPTCHA_SECRET: SECRET, CAPTCHA_VERIFY_URL: `${providerUrl}/siteverify` },
    );
    page = await (await launch()).newPage();
    errors = watchErrors(page);
    await page.goto(site.page('launcher.html'));
  }, 60_000);

  it('asks for the challenge, asks again after a refused token, and files the request once passed', async () => {
    expect(provider.scriptLoads()).toBe(0); // nothing of the provider until the form is wanted
    await page.getByRole('button', { name: 'Contact us' }).click();
    await dialog().getByLabel('Email').fill('ann@example.com');
    await dialog().getByLabel('Subject').fill('Parcel');
    await dialog().getByLabel('Topic').selectOption({ label: 'Delivery' });
    await dialog().getByLabel('How can we help?').fill('It never came.');
    const human = page.getByLabel('I am human');
    await human.waitFor();
    expect(provider.scriptLoads()).toBe(1);

    // The challenge is the page's element, slotted into the form: it shows inside the dialog.
    expect(await page.locator('deskie-form > div[slot="df-captcha"]').count()).toBe(1);
    const [inner, outer] = [await human.boundingBox(), await dialog().boundingBox()];
    expect(inner && outer && inner.y > outer.y && inner.y + inner.height < outer.y + outer.height).toBe(true);
    await expectAccessible(page, 'form with a captcha');

    await dialog().getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alert().textContent(), PATIENCE).toContain('Please complete the challenge');
    expect(provider.verified).toEqual([]);

    await page.evaluate(() => {
      (window as unknown as { tokenPrefix: string }).tokenPrefix = 'fail-';
    });
    await human.check();
    await dialog().getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alert().textContent(), PATIENCE).toContain('The challenge was not passed');
    // A fresh challenge: the spent one is reset.
    await expect.poll(() => human.isChecked(), PATIENCE).toBe(false);
    expect(provider.verified).toEqual(['fail-1']);

    await page.evaluate(() => {
      (window as unknown as { tokenPrefix: string }).tokenPrefix = 'pass-';
    });
    await human.check();
    await dialog().getByRole('button', { name: 'Send' }).click();
    await dialog().getByRole('heading', { name: 'Thank you — we received your request' }).waitFor(PATIENCE);
    expect(provider.verified).toEqual(['fail-1', 'pass-2']);
    expect(await site.cases()).toHaveLength(1);
    // The challenge went with the form.
    expect(await page.locator('deskie-form > div[slot="df-captcha"]').count()).toBe(0);
    // Nothing went wrong in the page but the one refusal the browser reports itself.
    expect(errors).toEqual([expect.stringContaining('status of 400 (Bad Request)')]);
  });
});
