/**
 * The demo page's config preview in real Chromium, by keyboard: a form of the loaded config picked,
 * shown in a locale and a theme, answered — and the JSON Deskie would receive follows the answers,
 * while the simulator files nothing. axe-core's audit of the page with the preview shown.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG } from '../helpers/backend';
import {
  expectAccessible,
  haveBrowser,
  launch,
  PATIENCE,
  type Site,
  startSite,
  watchErrors,
} from './browser';

/** The demo's own config, every form of it, with Deskie's budget out of the way. */
function demoConfigFile() {
  const path = join(mkdtempSync(join(tmpdir(), 'deskie-preview-e2e-')), 'forms.json');
  writeFileSync(path, JSON.stringify({ ...DEMO_CONFIG, deskie: { ...DEMO_CONFIG.deskie, rpm: 1_000_000 } }));
  return path;
}

/** The JSON the preview shows, parsed; undefined while it shows none. */
const shownJson = async (page: Page) => {
  const text = await page.locator('#preview-json').textContent();
  return text ? (JSON.parse(text) as Record<string, Record<string, unknown>>) : undefined;
};

describe.runIf(haveBrowser)('the config preview on the demo page in Chromium', () => {
  let site: Site;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    site = await startSite({}, { DESKIE_FORM_CONFIG: demoConfigFile() });
    page = await (await launch()).newPage();
    errors = watchErrors(page);
  }, 60_000);

  it('shows a picked form and, as it is answered, the JSON Deskie would receive — filing nothing', async () => {
    await page.goto(`${site.origin}/`);
    const pick = page.locator('#preview-pick');
    const forms = pick.getByLabel('Form');
    await expect
      .poll(() => forms.locator('option').allTextContents(), PATIENCE)
      .toEqual(['Contact support (support)', 'Get help (help)']);
    // The languages are the picked form's own.
    await forms.selectOption('help');
    expect(
      await pick
        .getByLabel('Language')
        .locator('option')
        .evaluateAll((o) => o.map((e) => e.getAttribute('value'))),
    ).toEqual(['en', 'ru']);
    await forms.selectOption('support');
    expect(await pick.getByLabel('Language').locator('option').count()).toBe(3);
    await pick.getByLabel('Language').selectOption('ru');
    await pick.getByLabel('Theme').selectOption('dark');
    await pick.getByRole('button', { name: 'Show the form' }).focus();
    await page.keyboard.press('Enter');

    const shown = page.locator('#preview-room deskie-form');
    await shown.getByRole('heading', { name: 'Написать в поддержку' }).waitFor(PATIENCE);
    expect(await shown.getAttribute('data-theme')).toBe('dark');
    const status = page.getByRole('status');
    await shown.locator('[name="email"]').fill('ann@example.com');
    await expect
      .poll(() => status.textContent(), PATIENCE)
      .toMatch(/^Not yet: the form would refuse 3 answers/);
    expect((await shownJson(page))?.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { subject: 'REQUIRED', cf_9: 'REQUIRED', message: 'REQUIRED' },
    });

    await shown.locator('[name="subject"]').fill('The parcel never came');
    await shown.locator('[name="cf_9"]').selectOption('2');
    await shown.locator('[name="message"]').fill('Ordered on Monday.');
    await expect
      .poll(async () => (await shownJson(page))?.case, PATIENCE)
      .toMatchObject({
        user_email: 'ann@example.com',
        subject: 'The parcel never came',
        group_id: 44,
        labels: [101],
        language_id: 1,
        custom_fields: { cf_9: '2' },
      });
    expect(await status.textContent()).toBe(
      'Deskie would receive this create-case request. Nothing was sent.',
    );

    // Every answer after that is followed: a ticked box becomes a custom field.
    await shown.locator('[name="cf_12"]').check();
    await expect
      .poll(async () => (await shownJson(page))?.case?.custom_fields, PATIENCE)
      .toEqual({ cf_9: '2', cf_12: true });
    expect(await site.cases()).toEqual([]);
    await expectAccessible(page, 'the demo page with a form previewed');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows another form at once when picked, in the language chosen when the form speaks it', async () => {
    await page.locator('#preview-pick').getByLabel('Form').selectOption('help');
    const shown = page.locator('#preview-room deskie-form');
    await shown.getByRole('heading', { name: 'Помощь' }).waitFor(PATIENCE);
    await shown.locator('[name="email"]').fill('ann@example.com');
    await expect
      .poll(async () => (await shownJson(page))?.error?.fields, PATIENCE)
      .toMatchObject({ type: 'REQUIRED', consent: 'REQUIRED' });
    // The type, the option that routes, the field it reveals, consent: the case lands in Billing.
    await shown.getByLabel('Вопрос').check();
    await shown.locator('[name="cf_9"]').selectOption('1');
    await shown.locator('[name="cf_20"]').fill('50');
    await shown.locator('[name="subject"]').fill('Счёт на компанию');
    await shown.locator('[name="message"]').fill('Нужен один счёт на пять мест.');
    await shown.locator('[name="consent"]').check();
    await expect
      .poll(async () => (await shownJson(page))?.case, PATIENCE)
      .toMatchObject({ group_id: 45, labels: [101, 102], priority: 'normal', custom_fields: { cf_9: '1' } });
    expect(await site.cases()).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
