/**
 * A form with a captcha in real Chromium. The provider's script is a stand-in served on 127.0.0.1
 * with Turnstile's page API (render, reset, remove, the callback), and the backend checks tokens
 * against a stand-in of its siteverify endpoint that takes each "pass-" token once. The challenge
 * renders into the page's DOM and shows inside the widget's shadow form through a slot.
 */
import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const verified: string[] = [];
  let scriptLoads = 0;
  let site: Site;
  let page: Page;
  let errors: string[];
  const dialog = () => page.getByRole('dialog');
  const alert = () => dialog().getByRole('alert');

  const provider = createServer((req, res) => {
    if (req.url === '/turnstile.js') {
      scriptLoads += 1;
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(STAND_IN);
    }
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const form = new URLSearchParams(text);
      const token = form.get('response') ?? '';
      const success = form.get('secret') === SECRET && token.startsWith('pass-') && !verified.includes(token);
      verified.push(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success }));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const providerUrl = `http://127.0.0.1:${(provider.address() as { port: number }).port}`;
    site = await startSite(
      { captcha: { provider: 'turnstile', siteKey: 'e2e-site-key', script: `${providerUrl}/turnstile.js` } },
      { CAPTCHA_SECRET: SECRET, CAPTCHA_VERIFY_URL: `${providerUrl}/siteverify` },
    );
    page = await (await launch()).newPage();
    errors = watchErrors(page);
    await page.goto(site.page('launcher.html'));
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => provider.close(() => resolve())));

  it('asks for the challenge, asks again after a refused token, and files the request once passed', async () => {
    expect(scriptLoads).toBe(0); // nothing of the provider until the form is wanted
    await page.getByRole('button', { name: 'Contact us' }).click();
    await dialog().getByLabel('Email').fill('ann@example.com');
    await dialog().getByLabel('Subject').fill('Parcel');
    await dialog().getByLabel('Topic').selectOption({ label: 'Delivery' });
    await dialog().getByLabel('How can we help?').fill('It never came.');
    const human = page.getByLabel('I am human');
    await human.waitFor();
    expect(scriptLoads).toBe(1);

    // The challenge is the page's element, slotted into the form: it shows inside the dialog.
    expect(await page.locator('deskie-form > div[slot="df-captcha"]').count()).toBe(1);
    const [inner, outer] = [await human.boundingBox(), await dialog().boundingBox()];
    expect(inner && outer && inner.y > outer.y && inner.y + inner.height < outer.y + outer.height).toBe(true);
    await expectAccessible(page, 'form with a captcha');

    await dialog().getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alert().textContent(), PATIENCE).toContain('Please complete the challenge');
    expect(verified).toEqual([]);

    await page.evaluate(() => {
      (window as unknown as { tokenPrefix: string }).tokenPrefix = 'fail-';
    });
    await human.check();
    await dialog().getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alert().textContent(), PATIENCE).toContain('The challenge was not passed');
    // A fresh challenge: the spent one is reset.
    await expect.poll(() => human.isChecked(), PATIENCE).toBe(false);
    expect(verified).toEqual(['fail-1']);

    await page.evaluate(() => {
      (window as unknown as { tokenPrefix: string }).tokenPrefix = 'pass-';
    });
    await human.check();
    await dialog().getByRole('button', { name: 'Send' }).click();
    await dialog().getByRole('heading', { name: 'Thank you — we received your request' }).waitFor(PATIENCE);
    expect(verified).toEqual(['fail-1', 'pass-2']);
    expect(await site.cases()).toHaveLength(1);
    // The challenge went with the form.
    expect(await page.locator('deskie-form > div[slot="df-captcha"]').count()).toBe(0);
    // Nothing went wrong in the page but the one refusal the browser reports itself.
    expect(errors).toEqual([expect.stringContaining('status of 400 (Bad Request)')]);
  });
});
