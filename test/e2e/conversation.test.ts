/**
 * The conversation in real Chromium: a request filed; support answers with a file from the agent
 * console; the visitor sees it, downloads it, and replies with a file — once in the case although
 * the line is cut during the reply; then the same customer, signed in on another browser profile,
 * finds both of their requests under "Your requests". An axe-core audit of each new view.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { customer, IDENTITY_SECRET, signIdentity } from '../helpers/identity';
import {
  expectAccessible,
  haveBrowser,
  launch,
  PATIENCE,
  type Site,
  startSite,
  watchErrors,
} from './browser';

describe.runIf(haveBrowser)('the conversation in Chromium', () => {
  let site: Site;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    site = await startSite({}, { DESKIE_FORM_IDENTITY_SECRET: IDENTITY_SECRET });
    page = await (await launch()).newPage();
    errors = watchErrors(page);
  }, 60_000);

  it('support answers with a file; the visitor downloads it and replies with one, once despite a cut line', async () => {
    await page.goto(site.page('conversation.html'));
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Thank you — we received your request' }).waitFor(PATIENCE);
    const [kase] = await site.cases();

    const agent = await page.context().newPage();
    await agent.goto(`${site.origin}/_deskie/console`);
    const card = agent.getByRole('article', { name: new RegExp(String(kase?.case_number)) });
    await card.getByLabel('Reply or note').fill('Here is the shipping label.');
    await card.getByLabel('Files').setInputFiles({
      name: 'label.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('LABEL 605'),
    });
    await card.getByRole('button', { name: 'Send public reply' }).click();
    await card.getByText('Here is the shipping label.').waitFor(PATIENCE);

    await page.getByRole('button', { name: 'Check status' }).click();
    const link = page.getByRole('link', { name: 'Download label.txt' });
    await link.waitFor(PATIENCE);
    await expectAccessible(page, 'conversation with a file and the reply box');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('label.txt');
    expect(readFileSync(await download.path(), 'utf8')).toBe('LABEL 605');

    // The first try reaches the backend, but its answer never comes back: the line is cut.
    let cut = true;
    await page.route('**/v1/forms/support/replies', async (route) => {
      if (route.request().method() !== 'POST' || !cut) return route.continue();
      cut = false;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByLabel('Your message').fill('Thanks! A photo of the box is attached.');
    await page.locator('#df-reply-files').setInputFiles({
      name: 'box.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('a photo, in words'),
    });
    await page.getByText('box.txt').waitFor(PATIENCE);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page
      .getByText('We could not reach the server. Please check your connection and try again.')
      .waitFor(PATIENCE);
    await page.getByRole('button', { name: 'Send reply' }).click();
    // In its status line (the live region says it too).
    await page.getByRole('status').getByText('Your reply was added to the request.').waitFor(PATIENCE);
    await expectAccessible(page, 'reply sent');

    await agent.reload();
    await card.getByText('Thanks! A photo of the box is attached.').first().waitFor(PATIENCE);
    await agent.close();
    const mine = (await site.messages(kase?.case_id ?? 0)).filter((m) =>
      String(m.content).includes('Thanks! A photo of the box is attached.'),
    );
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0]?.attachments)).toContain('box.txt');
  });

  it('a signed-in customer on another browser profile finds both of their requests', async () => {
    const other = await (await launch()).newPage();
    const otherErrors = watchErrors(other);
    const token = signIdentity(customer(Date.now()));
    await other.goto(`${site.page('conversation.html')}#${encodeURIComponent(token)}`);
    const email = other.getByLabel(/^Email/);
    await expect.poll(() => email.inputValue(), PATIENCE).toBe('bea@example.com');
    await expect.poll(() => email.getAttribute('readonly'), PATIENCE).not.toBeNull();
    await other.getByRole('button', { name: 'Send' }).click();
    await other.getByRole('heading', { name: 'Thank you — we received your request' }).waitFor(PATIENCE);

    await other.getByRole('button', { name: 'Send another request' }).click();
    await other.getByRole('button', { name: 'Check a request' }).click();
    const list = other.getByRole('region', { name: 'Your requests' });
    const cases = await site.cases();
    for (const kase of cases)
      await list
        .getByRole('button', { name: new RegExp(`^Request ${kase.case_number}: `) })
        .waitFor(PATIENCE);
    expect(cases).toHaveLength(2);
    await expectAccessible(other, 'your requests');
    expect(otherErrors).toEqual([]);
    // The browser's own line for the reply whose connection the test cut: nothing else.
    expect(errors.filter((e) => !e.includes('net::ERR_CONNECTION_RESET'))).toEqual([]);
  });
});
