/**
 * The launcher in real Chromium: every field type, two files with visible progress, the case as
 * Deskie gets it, the keyboard-only path, the answer, a lookup, and support's reply from the
 * agent console — with an axe-core audit of each state along the way.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
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

interface AxNode {
  nodeId: string;
  ignored: boolean;
  name?: { value: string };
  properties?: { name: string; value: { value: unknown } }[];
  childIds?: string[];
}

/** The words of every polite live region in Chromium's accessibility tree (what a screen reader hears). */
async function politeWords(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  return nodes
    .filter((n) => !n.ignored && n.properties?.some((p) => p.name === 'live' && p.value.value === 'polite'))
    .flatMap((n) => (n.childIds ?? []).map((id) => byId.get(id)?.name?.value ?? ''));
}

/** What the page notes for the test (see the upload below). */
interface Noted {
  progressSeen: Set<string>;
}

describe.runIf(haveBrowser)('launcher in Chromium', () => {
  let site: Site;
  let page: Page;
  let errors: string[];
  const dialog = () => page.getByRole('dialog');
  const launcher = () => page.getByRole('button', { name: 'Contact us' });

  beforeAll(async () => {
    site = await startSite();
    const context = await launch();
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(site.page('launcher.html'));
    await launcher().waitFor();
  }, 60_000);

  it('opens a dialog with the form; a failed send shows errors; files upload with progress; the case is exactly what was sent', async () => {
    await expectAccessible(page, 'launcher');
    keepScreenshot('launcher', await page.screenshot());
    await launcher().click();
    await dialog().getByRole('heading', { name: 'Contact support' }).waitFor();
    await dialog().getByLabel('Email').waitFor();
    expect(await launcher().getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page, 'open form');
    keepScreenshot('form', await page.screenshot());

    await dialog().getByLabel('Email').fill('not an email');
    await dialog().getByRole('button', { name: 'Send' }).click();
    const summary = dialog().getByRole('alert');
    await expect.poll(() => summary.textContent(), PATIENCE).toContain('Please check these fields:');
    // Said in the live region, which a screen reader can hear: the open modal panel hides the rest
    // of the page from it, this widget's own nodes outside the panel included.
    await expect.poll(() => politeWords(page), PATIENCE).toContain('Please check these fields:');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className), PATIENCE)
      .toBe('df-summary');
    await expectAccessible(page, 'errors shown');
    keepScreenshot('errors', await page.screenshot());

    await dialog().getByLabel('Your name').fill('Ann Example');
    await dialog().getByLabel('Email').fill('ann@example.com');
    await dialog().getByLabel('Subject').fill('The zipper broke');
    await dialog().getByLabel('Topic').selectOption({ label: 'Delivery' });
    await dialog().getByLabel('Order number').fill('A-1001');
    await dialog().getByLabel('How can we help?').fill('On the first day.\nPhotos attached.');
    await dialog().getByLabel('This is urgent').check();
    const photo = join(tmpdir(), 'zipper.png');
    writeFileSync(
      photo,
      Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000000000200015e2a2e0f0000000049454e44ae426082',
        'hex',
      ),
    );
    const notes = join(tmpdir(), 'notes.txt');
    writeFileSync(notes, 'order details\n'.repeat(50_000)); // 700 kB: slow enough to watch
    const chooser = page.waitForEvent('filechooser');
    await dialog().getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([photo, notes]);
    await dialog().getByText('2 files, 683.7 kB in total').waitFor();

    // A slow uplink, so the upload goes out in many steps.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 250 * 1024,
    });
    // Every progress label the form shows, noted in the page as it changes: no step is missed
    // however seldom this test gets to look.
    await page.evaluate(() => {
      const root = document.querySelector('deskie-form')?.shadowRoot as ShadowRoot;
      const seen = new Set<string>();
      Object.assign(window, { progressSeen: seen });
      new MutationObserver(() => {
        for (const bar of root.querySelectorAll('progress')) seen.add(bar.getAttribute('aria-label') ?? '');
      }).observe(root, { subtree: true, childList: true, attributes: true });
    });
    // Deskie holds the case until the test has seen the form sending: the upload is done once the
    // backend asks for it.
    await site.faults({ hold: true });
    try {
      await dialog().getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => site.held(), PATIENCE).toBe(1);
      const seen = await page.evaluate(() => [...(window as unknown as Noted).progressSeen]);
      // Part of notes.txt had gone out while the rest had not; then all of it had.
      expect(
        seen.some((label) => /^Uploading notes\.txt: ([1-9]\d?)%$/.test(label)),
        String(seen),
      ).toBe(true);
      expect(seen).toContain('Uploading notes.txt: 100%');
      await expect.poll(() => dialog().locator('progress').count(), PATIENCE).toBe(2);
      expect(await dialog().getByRole('button', { name: 'Sending…' }).isDisabled()).toBe(true);
      await expectAccessible(page, 'uploading');
    } finally {
      await site.faults({ hold: false });
    }
    await dialog().getByRole('heading', { name: 'Thank you — we received your request' }).waitFor(PATIENCE);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await expectAccessible(page, 'success');
    keepScreenshot('success', await page.screenshot());

    const [kase] = await site.cases();
    expect(
      await dialog().getByText(`Your request number is ${kase?.case_number}.`, { exact: false }).count(),
    ).toBe(1);
    expect(kase).toMatchObject({
      subject: 'The zipper broke',
      recipient: 'ann@example.com',
      labels: [101],
      group_id: 44,
      language_id: 2,
      custom_fields: { cf_9: '2', cf_5: 'A-1001', cf_12: true },
    });
    const [first] = await site.messages(kase?.case_id ?? 0);
    // Multipart form fields travel with CRLF line breaks (as browsers and fetch send them).
    const content = String(first?.content).replace(/\r\n/g, '\n');
    expect(content).toContain('On the first day.\nPhotos attached.');
    expect(content).toContain(`Page: ${site.page('launcher.html')}`);
    expect(content).toContain('Context plan: gold');
    expect(content).toMatch(/Browser: Mozilla\/5\.0 .*Chrome\//);
    const files = ((first?.attachments ?? []) as { file_name: string }[]).map((a) => a.file_name);
    expect(files).toEqual(['zipper.png', 'notes.txt']);
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows the status, and after support answers in the agent console, the new status and the reply — never the note', async () => {
    await dialog().getByRole('button', { name: 'Check status' }).click();
    const [kase] = await site.cases();
    await dialog()
      .getByRole('heading', { name: `Request ${kase?.case_number}` })
      .waitFor();
    // Exactly: the live region says it too, after the request's number.
    await dialog().getByText('In progress', { exact: true }).waitFor();
    await expectAccessible(page, 'status');

    const agent = await page.context().newPage();
    await agent.goto(`${site.origin}/_deskie/console`);
    const card = agent.getByRole('article', { name: new RegExp(String(kase?.case_number)) });
    await card.getByLabel('Status').selectOption('waiting');
    await card.getByRole('button', { name: 'Save status' }).click();
    await card.getByLabel('Reply or note').fill('A new zipper is on its way.');
    await card.getByRole('button', { name: 'Send public reply' }).click();
    await card.getByLabel('Reply or note').fill('INTERNAL: supplier issue, do not tell');
    await card.getByRole('button', { name: 'Add internal note' }).click();
    await card.getByText('INTERNAL: supplier issue').waitFor();
    await agent.close();

    await dialog().getByRole('button', { name: 'Back' }).click();
    await dialog()
      .getByRole('button', { name: new RegExp(`^Request ${kase?.case_number}, sent `) })
      .click();
    await dialog().getByText('Waiting for your reply', { exact: true }).waitFor();
    await dialog().getByText('A new zipper is on its way.').waitFor();
    expect(await dialog().textContent()).not.toContain('INTERNAL');
    keepScreenshot('status', await page.screenshot());

    // By case number and email, as from another browser.
    await dialog().getByRole('button', { name: 'Back' }).click();
    await dialog().getByLabel('Request number').fill(String(kase?.case_number));
    await dialog().getByLabel('Email').fill('ann@example.com');
    await expectAccessible(page, 'lookup');
    keepScreenshot('lookup', await page.screenshot());
    await dialog().getByRole('button', { name: 'Check status' }).click();
    await dialog().getByText('A new zipper is on its way.').waitFor();
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  }, 60_000);

  it('works by keyboard alone: Tab and Shift+Tab stay in the dialog, a page script cannot take focus, Esc returns it to the launcher', async () => {
    await page.reload();
    await launcher().waitFor();
    const focused = () =>
      page.evaluate(() => {
        const inner = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement;
        return inner?.getAttribute('aria-label') || inner?.id || inner?.textContent || '';
      });
    await page.keyboard.press('Tab'); // the page's own link
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Contact us');
    await page.keyboard.press('Enter');
    await dialog().getByLabel('Email').waitFor();
    // The dialog opens on its first field.
    await expect.poll(focused, PATIENCE).toBe('df-name');

    const type = async (text: string) => {
      await page.keyboard.press('Tab');
      if (text) await page.keyboard.type(text);
    };
    await page.keyboard.type('Kim Keys');
    await type('kim@example.com');
    await type('Only a keyboard');
    await page.keyboard.press('Tab'); // topic
    expect(await focused()).toBe('df-cf_9');
    await page.keyboard.press('ArrowDown');
    await type(''); // order number
    await type('Tab, type, Enter.');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('df-cf_12');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // Attach files
    await page.keyboard.press('Tab'); // Send
    expect(await focused()).toBe('Send');
    await page.keyboard.press('Tab'); // Check a request
    await page.keyboard.press('Tab'); // wraps to the first control
    expect(await focused()).toBe('Close');
    await page.keyboard.press('Shift+Tab'); // and back to the last
    expect(await focused()).toBe('Check a request');
    // A page script pulling focus out of the open dialog (its own focus manager) cannot.
    const taken = await page.evaluate(() => {
      const link = document.querySelector<HTMLElement>('a[href="#top"]');
      link?.focus();
      return document.activeElement === link;
    });
    expect(taken).toBe(false);
    expect(await focused()).toBe('Check a request');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await dialog().getByRole('heading', { name: 'Thank you — we received your request' }).waitFor(PATIENCE);
    await expect.poll(focused, PATIENCE).toBe('Thank you — we received your request');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await focused()).toBe('Contact us');
    expect(await launcher().getAttribute('aria-expanded')).toBe('false');
    const cases = await site.cases();
    expect(cases.at(-1)).toMatchObject({
      subject: 'Only a keyboard',
      recipient: 'kim@example.com',
      custom_fields: { cf_9: '1', cf_12: true },
    });
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps the page behind the open panel out of reach: beneath it, and inert to a pointer and a screen reader', async () => {
    await launcher().click();
    await dialog().waitFor();
    // A page overlay at the highest z-index there is stays beneath the panel (the top layer).
    const onTop = await page.evaluate(() => {
      const host = document.querySelector('deskie-form');
      const panel = host?.shadowRoot?.querySelector('dialog')?.getBoundingClientRect();
      const veil = document.createElement('div');
      veil.style.cssText = 'position: fixed; inset: 0; z-index: 2147483647';
      document.body.append(veil);
      const hit = panel && document.elementFromPoint(panel.x + panel.width / 2, panel.y + panel.height / 2);
      veil.remove();
      return hit === host;
    });
    expect(onTop).toBe(true);
    // The page's own link: a click does not reach it, and it is out of the accessibility tree.
    const clicked = page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          document
            .querySelector('a[href="#top"]')
            ?.addEventListener('click', () => resolve(true), { once: true });
          document.addEventListener('click', () => resolve(false), { once: true });
        }),
    );
    await page.locator('a[href="#top"]').click({ force: true });
    expect(await clicked).toBe(false);
    const cdp = await page.context().newCDPSession(page);
    const linksNamedTop = async () => {
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
        nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[];
      };
      return nodes.filter((n) => !n.ignored && n.role?.value === 'link' && n.name?.value === 'Top').length;
    };
    expect(await linksNamedTop()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await linksNamedTop()).toBe(1);
    await cdp.detach();
  }, 30_000);

  it('fits a 360 px phone: the panel spans the screen, nothing scrolls sideways', async () => {
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(site.page('launcher.html'));
    await phone.getByRole('button', { name: 'Contact us' }).click();
    const panel: Locator = phone.getByRole('dialog');
    await panel.getByLabel('Email').waitFor();
    const box = await panel.boundingBox();
    expect(box?.x).toBe(8);
    expect(box?.width).toBe(344);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(phone, 'phone');
    keepScreenshot('mobile', await phone.screenshot());
    await phone.close();
  }, 30_000);
});
