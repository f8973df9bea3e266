/**
 * The host page's layout shift (the Core Web Vital a search engine ranks it by) in real Chromium,
 * summed from the browser's own `layout-shift` entries as Lighthouse does — shifts within half a
 * second of the visitor's input are theirs and not counted. An inline form on a page with content
 * below it that reserved its room: on load (first and return visit), then used — errors, a file,
 * the answer — without moving the page; a page that reserved none, told how much to reserve; and a
 * launcher, opened and used, moving nothing at all.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveBrowser, launch, type Site, startSite, watchErrors } from './browser';
import { layoutShift, shiftWatchedPage } from './shift';

describe.runIf(haveBrowser)('the host page does not shift', () => {
  let site: Site;
  let context: BrowserContext;
  const file = join(tmpdir(), 'shift-notes.txt');

  beforeAll(async () => {
    site = await startSite();
    context = await launch();
    writeFileSync(file, 'notes\n'.repeat(100));
  }, 60_000);

  /** Loads the inline form, sends it empty (errors), picks a file, then sends it filled in. */
  async function useInlineForm(page: Page) {
    await page.goto(site.page('below.html'));
    const form = page.locator('deskie-form');
    await form.getByRole('button', { name: 'Send' }).click();
    await form.getByRole('alert').getByText('Please check these fields:').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await form.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles(file);
    await form.getByText('shift-notes.txt').waitFor();
    await form.getByLabel('Email').fill('ann@example.com');
    await form.getByLabel('Subject').fill('Nothing moves');
    await form.getByLabel('Topic').selectOption({ label: 'Billing' });
    await form.getByLabel('How can we help?').fill('A form that keeps its room.');
    await form.getByRole('button', { name: 'Send' }).click();
    await form.getByRole('heading', { name: /^Thank you/ }).waitFor();
  }

  /** Where the page's own content below the form is. */
  const below = (page: Page) => page.locator('#below').evaluate((el) => el.getBoundingClientRect().top);

  it('an inline form in the room the page reserved moves nothing on load, on a first visit and a return', async () => {
    for (const visit of ['first', 'return']) {
      const page = await shiftWatchedPage(context);
      const errors = watchErrors(page);
      const told: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'info') told.push(message.text());
      });
      await page.goto(site.page('below.html'));
      await page.locator('deskie-form').getByRole('button', { name: 'Send' }).waitFor();
      expect(await below(page)).toBeLessThan(1400); // in view, where it could be seen to move
      const { shifts, cls } = await layoutShift(page);
      expect(cls, `${visit} visit: ${JSON.stringify(shifts)}`).toBeLessThanOrEqual(0.01);
      expect(errors).toEqual([]);
      expect(told).toEqual([]); // the room was enough: nothing to tell the page
      await page.close();
    }
  }, 60_000);

  it('a page that reserves no room is told the form’s height — and given that room, nothing moves', async () => {
    const page = await shiftWatchedPage(context);
    const told = page.waitForEvent('console', (message) => message.type() === 'info');
    // The definition is held until the page has drawn two frames without the form: as on any real
    // network, the form then arrives after the page was painted (a fast server and a slow paint
    // could otherwise put it in the first frame, where nothing is seen to move).
    await page.route(/\/v1\/forms\/support(\?|$)/, async (route) => {
      await page.evaluate(
        () => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))),
      );
      await route.continue();
    });
    await page.goto(site.page('plain-below.html'));
    await page.locator('deskie-form').getByRole('button', { name: 'Send' }).waitFor();
    const hint = (await told).text();
    expect(hint).toMatch(/^\[deskie-form\] The form "support" is \d+px tall here\. A min-height of that/);
    // It moved as the form arrived: nothing had said how tall the form is.
    expect((await layoutShift(page)).cls).toBeGreaterThan(0.01);
    await page.close();

    const height = Number(/is (\d+)px tall/.exec(hint)?.[1]);
    const reserved = await shiftWatchedPage(context);
    const infos: string[] = [];
    reserved.on('console', (message) => {
      if (message.type() === 'info') infos.push(message.text());
    });
    // The page's own styles, with the room it was told to give.
    await reserved.route(site.page('plain-below.html'), async (route) => {
      const page = await route.fetch();
      const html = (await page.text()).replace(
        '</head>',
        `<style>#help { min-height: ${height}px }</style></head>`,
      );
      await route.fulfill({ response: page, body: html });
    });
    await reserved.goto(site.page('plain-below.html'));
    const host = reserved.locator('deskie-form');
    await host.getByRole('button', { name: 'Send' }).waitFor();
    // The box holds the form's height once it has seen it.
    await host.evaluate(
      (el) =>
        new Promise<void>((resolve) => {
          const check = () =>
            el.style.getPropertyValue('--df-h') ? resolve() : requestAnimationFrame(check);
          check();
        }),
    );
    const { shifts, cls } = await layoutShift(reserved);
    expect(cls, JSON.stringify(shifts)).toBeLessThanOrEqual(0.01);
    expect(infos).toEqual([]);
    await reserved.close();
  }, 60_000);

  it('using it moves nothing of the page: errors, a file, the answer stay in the form’s box', async () => {
    const page = await shiftWatchedPage(context);
    await useInlineForm(page);
    const { shifts, pageMoved } = await layoutShift(page);
    expect(pageMoved, JSON.stringify(shifts)).toEqual([]);
    await page.close();
  }, 60_000);

  it('what the form shows without the visitor acting stays in its box: a file list, the answer', async () => {
    const page = await shiftWatchedPage(context);
    await page.goto(site.page('below.html'));
    const form = page.locator('deskie-form');
    await form.getByRole('button', { name: 'Send' }).waitFor();
    const before = await below(page);
    // Files given by a script: no click, no key — the list grows inside the form's box.
    await form.locator('input[type="file"]').setInputFiles(file);
    await form.getByText('shift-notes.txt').waitFor();
    expect(await below(page)).toBe(before);
    expect(await form.evaluate((host) => host.scrollHeight > host.clientHeight)).toBe(true);
    // Sent by a script too, so the answer — shorter than the form — comes with no input of the
    // visitor's: it leaves the box as it was.
    await form.getByLabel('Email').fill('ann@example.com');
    await form.getByLabel('Subject').fill('An answer with no click');
    await form.getByLabel('Topic').selectOption({ label: 'Billing' });
    await form.getByLabel('How can we help?').fill('Still in its box.');
    await form.evaluate((host) => host.shadowRoot?.querySelector('form')?.requestSubmit());
    await form.getByRole('heading', { name: /^Thank you/ }).waitFor();
    expect(await below(page)).toBe(before);
    await page.close();
  }, 60_000);

  it('a launcher moves nothing on the page: opened, sent with errors, sent, answered', async () => {
    const page = await shiftWatchedPage(context, 1000, 900);
    await page.goto(site.page('launcher.html'));
    await page.getByRole('button', { name: 'Contact us' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByRole('alert').getByText('Please check these fields:').waitFor();
    await dialog.getByLabel('Email').fill('ann@example.com');
    await dialog.getByLabel('Subject').fill('Nothing moves here either');
    await dialog.getByLabel('Topic').selectOption({ label: 'Billing' });
    await dialog.getByLabel('How can we help?').fill('A panel of one height.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByRole('heading', { name: /^Thank you/ }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const { shifts, cls } = await layoutShift(page);
    expect(cls, JSON.stringify(shifts)).toBe(0);
    await page.close();
  }, 60_000);
});
