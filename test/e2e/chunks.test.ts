/**
 * What the widget downloads, and when, in real Chromium: a launcher's page gets the loader alone;
 * the form comes when the visitor reaches for the launcher (at once for an inline form); lookups
 * and the file list only when the visitor reaches for them — never with the page.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveBrowser, launch, PATIENCE, type Site, startSite, watchErrors } from './browser';

/** The widget's chunks a page asked for, by name (`app`, `dialog`, `lookup`, …), in order. */
function watchChunks(page: Page) {
  const names: string[] = [];
  page.on('request', (request) => {
    const chunk = /\/deskie-form\/(\w+)-[\w-]+\.js$/.exec(new URL(request.url()).pathname)?.[1];
    if (chunk) names.push(chunk);
  });
  return names;
}

describe.runIf(haveBrowser)('chunks fetched on intent, in Chromium', () => {
  let site: Site;
  let context: BrowserContext;

  beforeAll(async () => {
    site = await startSite();
    context = await launch();
  }, 60_000);

  it('a launcher: the loader with the page, the form as the launcher is reached for, lookups as "Check a request" is', async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const chunks = watchChunks(page);
    await page.goto(site.page('launcher.html'));
    await page.waitForLoadState('networkidle');
    expect(chunks).toEqual([]);

    const launcher = page.getByRole('button', { name: 'Contact us' });
    await launcher.hover();
    await expect.poll(() => chunks, PATIENCE).toEqual(['app', 'dialog']);
    await launcher.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').waitFor();
    await page.waitForLoadState('networkidle');
    expect(chunks).toEqual(['app', 'dialog']);

    const lookup = dialog.getByRole('button', { name: 'Check a request' });
    await lookup.hover();
    await expect.poll(() => chunks, PATIENCE).toContain('lookup');
    await lookup.click();
    await dialog.getByLabel('Request number').waitFor();
    expect(chunks).toEqual(['app', 'dialog', 'lookup']);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('an inline form: the form with the page, the file list when "Attach files" is focused, lookups when "Check a request" is', async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    const chunks = watchChunks(page);
    await page.goto(site.page('plain.html'));
    const form = page.locator('deskie-form');
    await form.getByRole('button', { name: 'Send' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(chunks).not.toContain('lookup');
    expect(chunks).not.toContain('attach');
    expect(chunks).not.toContain('dialog');

    await form.getByRole('button', { name: 'Attach files' }).focus();
    await expect.poll(() => chunks, PATIENCE).toContain('attach');
    await form.getByRole('button', { name: 'Check a request' }).focus();
    await expect.poll(() => chunks, PATIENCE).toContain('lookup');
    await page.keyboard.press('Enter');
    await form.getByLabel('Request number').waitFor();
    expect(chunks.filter((c) => c === 'lookup' || c === 'attach')).toEqual(['attach', 'lookup']);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
