/**
 * An adaptive form in real Chromium (the worked example of docs/configuration.md): the request
 * type switching the form, a condition revealing a required field, the case routed by the answers
 * and checked as Deskie received it, hidden values from the page's URL, consent on record. axe
 * audits each new state.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAPTIVE_FORM } from '../helpers/adaptive';
import {
  expectAccessible,
  haveBrowser,
  launch,
  PATIENCE,
  type Site,
  startSite,
  watchErrors,
} from './browser';

/** The text the widget's live region holds now. */
const spoken = (page: Page) =>
  page.evaluate(
    () =>
      document.querySelector('deskie-form')?.shadowRoot?.querySelector('[aria-live="polite"]')?.textContent ??
      '',
  );

/** The element focused inside the widget, by its accessible name's source: id, else tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('deskie-form')?.shadowRoot?.activeElement;
    return el ? el.id || el.tagName.toLowerCase() : '';
  });

describe.runIf(haveBrowser)('an adaptive form in Chromium', () => {
  let site: Site;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    site = await startSite({ ...ADAPTIVE_FORM, id: 'support' });
    page = await (await launch()).newPage();
    errors = watchErrors(page);
  }, 60_000);

  it('switches texts, fields and files with the request type', async () => {
    await page.goto(site.page('plain.html'));
    const widget = page.locator('deskie-form');
    const types = widget.getByRole('group', { name: /What is it about\?/ });
    await types.waitFor(PATIENCE);
    await expectAccessible(page, 'an adaptive form, no type chosen');
    await widget.getByLabel('An order').check();
    await widget.getByRole('heading', { name: 'Help with an order' }).waitFor(PATIENCE);
    await expect.poll(() => spoken(page), PATIENCE).toBe('Added to the form: Order date.');
    expect(await focused(page)).toBe('df-type');
    await widget.getByLabel('Something is broken').check();
    await widget.getByLabel(/^Steps to reproduce/).waitFor(PATIENCE);
    expect(await widget.getByLabel(/^Order date/).count()).toBe(0);
    await widget.getByRole('heading', { name: 'Get help' }).waitFor();
    expect(await widget.locator('#df-files-help').textContent()).toMatch(/^Up to 1 file,/);
    // The page opens it on a type (a deep link's script would): the choice and its fields follow.
    await page.evaluate(() => window.DeskieForm?.open({ type: 'question' }));
    await widget.getByLabel(/^Topic/).waitFor(PATIENCE);
    expect(await widget.getByLabel('A question').isChecked()).toBe(true);
    expect(await widget.getByRole('button', { name: 'Attach files' }).count()).toBe(0);
    await expectAccessible(page, 'an adaptive form, a question');
    expect(errors).toEqual([]);
  });

  it('asks for what an answer reveals, then files the case where the answers route it, with the URL and consent on it', async () => {
    await site.reset();
    await page.goto(`${site.page('plain.html')}?order=A-1001&utm_source=spring`);
    const widget = page.locator('deskie-form');
    await widget.getByLabel('A question').check(PATIENCE);
    await widget.getByLabel(/^Email/).fill('ann@example.com');
    await widget.getByLabel(/^Subject/).fill('Invoice for a team');
    await widget.getByLabel(/^How can we help\?/).fill('We need one invoice for five seats.');
    await widget.getByLabel(/^I agree/).check();
    const topic = widget.getByLabel(/^Topic/);
    await topic.focus();
    await topic.selectOption('1');
    const size = widget.getByLabel(/^Company size/);
    await size.waitFor(PATIENCE);
    await expect.poll(() => spoken(page), PATIENCE).toBe('Added to the form: Company size.');
    expect(await focused(page)).toBe('df-cf_9');
    expect(await size.getAttribute('required')).not.toBeNull();

    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.getByRole('link', { name: 'Company size' }).waitFor(PATIENCE);
    await expectAccessible(page, 'an adaptive form with a revealed field left empty');
    expect(await site.cases()).toEqual([]);

    await size.fill('50');
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.getByRole('heading', { name: 'Thank you — we received your request' }).waitFor(PATIENCE);
    const [kase] = await site.cases();
    expect(kase).toMatchObject({
      subject: 'Invoice for a team',
      group_id: 45,
      labels: [101, 102],
      priority: 'normal',
      custom_fields: { cf_5: 'A-1001', cf_9: '1' },
    });
    const [first] = await site.messages(kase?.case_id ?? 0);
    const content = String((first as { content?: unknown }).content);
    expect(content).toContain('Request type: A question');
    expect(content).toContain('Campaign: spring');
    expect(content).toMatch(/Consent: given \S+ to https:\/\/shop\.example\/privacy \(version 2026-01\)/);
    expect(errors).toEqual([]);
  });
});
