/**
 * The widget on a host page, in Debian's Chromium: the page's layout shift (CLS, as the browser
 * reports it and Lighthouse sums it) and the bytes a visitor downloads until they can type and
 * until their request is sent — every file the browser asked the backend for, each counted as the
 * backend delivers it to a browser that takes brotli. The host pages are test/e2e/pages.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { layoutShift, shiftWatchedPage } from '../e2e/shift';
import { ACCEPT, rawGet, serveWidget } from './served';

const pages = join(dirname(fileURLToPath(import.meta.url)), '../e2e/pages');
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

/** The host pages at /e2e/… and, on the same origin, the backend (as a site owner would deploy them). */
async function servePages(backend: string) {
  const site = createServer((req, res) => {
    const page = /^\/e2e\/([\w-]+)\.(html|js|css)/.exec(req.url ?? '');
    if (page) {
      res.writeHead(200, { 'content-type': TYPES[page[2] ?? 'html'] ?? 'text/plain' });
      return res.end(readFileSync(join(pages, `${page[1]}.${page[2]}`)));
    }
    const upstream = request(
      `${backend}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(site.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => site.close(() => resolve())),
  };
}

/** The paths (with their query) of every GET the page sent its origin, in order. */
function watchDownloads(page: Page, origin: string) {
  const paths: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().startsWith(origin) && !r.url().includes('/e2e/'))
      paths.push(r.url().slice(origin.length));
  });
  return paths;
}

/** Fills the demo form's required fields. */
async function fillIn(scope: ReturnType<Page['locator']>) {
  await scope.getByLabel('Email').fill('ann@example.com');
  await scope.getByLabel('Subject').fill('Benchmark');
  await scope.getByLabel('Topic').selectOption({ label: 'Billing' });
  await scope.getByLabel('How can we help?').fill('Measured.');
}

export async function benchHost(
  outDir: string,
  config: Record<string, unknown>,
): Promise<Record<string, number>> {
  const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!chromiumPath) {
    console.warn('[bench] no Chromium: the widget.host_* and widget.until_* metrics are left out');
    return {};
  }
  const form = (config.forms as Record<string, unknown>[])[0];
  const served = await serveWidget(outDir, {
    ...config,
    forms: [{ ...form, minFillSeconds: 1 }],
    allowedOrigins: ['*'],
  });
  const site = await servePages(served.url);
  // Each path's bytes once: the definition's form token, hence its size, differs by the request.
  const sizes = new Map<string, number>();
  const delivered = async (paths: string[]) => {
    let bytes = 0;
    for (const path of new Set(paths)) {
      if (!sizes.has(path)) sizes.set(path, (await rawGet(`${served.url}${path}`, ACCEPT.br)).bytes);
      bytes += sizes.get(path) ?? 0;
    }
    return bytes;
  };
  const file = join(mkdtempSync(join(tmpdir(), 'deskie-bench-')), 'notes.txt');
  writeFileSync(file, 'notes\n'.repeat(100));
  /** A browser with a profile of its own: a first visit to every page. */
  const browser = () =>
    chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'deskie-bench-chromium-')), {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
    });
  const contexts: BrowserContext[] = [];
  const fresh = async () => {
    const context = await browser();
    contexts.push(context);
    return context;
  };
  const round = (cls: number) => Math.round(cls * 10_000) / 10_000;
  try {
    /** An inline form's page, loaded: CLS (as Lighthouse sees a load) and what it downloaded. */
    const load = async (context: BrowserContext, html: string) => {
      const page = await shiftWatchedPage(context);
      const downloads = watchDownloads(page, site.origin);
      await page.goto(`${site.origin}/e2e/${html}`);
      const host = page.locator('deskie-form');
      await host.getByLabel('Email').waitFor();
      return { page, host, downloads, typed: await delivered(downloads), cls: (await layoutShift(page)).cls };
    };
    const visitor = await fresh();
    const first = await load(visitor, 'below.html');
    // Then used: sent empty (errors), a file picked, sent filled in.
    await first.host.getByRole('button', { name: 'Send' }).click();
    await first.host.getByRole('alert').getByText('Please check these fields:').waitFor();
    const chooser = first.page.waitForEvent('filechooser');
    await first.host.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles(file);
    await first.host.getByText('notes.txt').waitFor();
    await fillIn(first.host);
    await first.host.getByRole('button', { name: 'Send' }).click();
    await first.host.getByRole('heading', { name: /^Thank you/ }).waitFor();
    const sentInline = await delivered(first.downloads);
    const used = await layoutShift(first.page);
    await first.page.close();
    const again = await load(visitor, 'below.html');
    await again.page.close();
    const bare = await load(await fresh(), 'plain-below.html');
    await bare.page.close();

    const page = await shiftWatchedPage(await fresh(), 1000, 900);
    const downloads = watchDownloads(page, site.origin);
    await page.goto(`${site.origin}/e2e/launcher.html`);
    await page.getByRole('button', { name: 'Contact us' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').waitFor();
    const typed = await delivered(downloads);
    await fillIn(dialog);
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByRole('heading', { name: /^Thank you/ }).waitFor();
    const sent = await delivered(downloads);
    const launcher = await layoutShift(page);

    return {
      'widget.host_cls_inline': round(first.cls),
      'widget.host_cls_inline_return': round(again.cls),
      'widget.host_cls_inline_unreserved': round(bare.cls),
      'widget.host_cls_inline_used': round(used.cls),
      'widget.host_cls_inline_used_page': round(used.pageMoved.reduce((sum, s) => sum + s.value, 0)),
      'widget.host_cls_launcher': round(launcher.cls),
      'widget.until_type_inline_br_bytes': first.typed,
      'widget.until_sent_inline_br_bytes': sentInline,
      'widget.until_type_launcher_br_bytes': typed,
      'widget.until_sent_launcher_br_bytes': sent,
    };
  } finally {
    for (const context of contexts) await context.close();
    await site.close();
    await served.close();
  }
}
