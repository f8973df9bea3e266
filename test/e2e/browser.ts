/**
 * Real-browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * host pages from test/e2e/pages served on one origin with the real backend + simulator behind
 * them (so a page's Content-Security-Policy can say 'self'), a pixel comparison, and axe-core.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import { parseList } from '../../server/deskie/schemas';
import { DEMO_CONFIG } from '../helpers/backend';
import { startEntry } from '../helpers/process';
import { simCase, simMessage } from '../helpers/widget';

const here = dirname(fileURLToPath(import.meta.url));

/** Chromium from CHROMIUM_PATH or Debian's package; undefined when missing. */
export const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  (path): path is string => !!path && existsSync(path),
);

/**
 * Whether browser tests run here. In CI (CI set, or DESKIE_REQUIRE_BROWSER=1 as .ci/run sets it)
 * a missing browser fails; a developer machine reports them skipped and says how to get one.
 */
export const haveBrowser = (() => {
  if (chromiumPath) return true;
  if (process.env.DESKIE_REQUIRE_BROWSER || process.env.CI)
    throw new Error('Chromium is required here: apt-get install -y chromium (or set CHROMIUM_PATH).');
  console.warn(
    '[e2e] skipped: no Chromium. Install it with `apt-get install -y chromium` or set CHROMIUM_PATH.',
  );
  return false;
})();

/**
 * How long to wait for a page to reach a state (vitest's expect.poll gives up after 1 s): the
 * browser, the backend and this test share two cores with whatever else runs. Waiting costs
 * nothing when the state comes at once.
 */
export const PATIENCE = { timeout: 20_000 };

/** A fresh browser profile, closed after the file's tests. */
export async function launch(): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'deskie-chromium-')), {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1000, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--font-render-hinting=none',
    ],
  });
  afterAll(() => context.close());
  return context;
}

/** Headers a test page is served with (the strict-CSP page's policy). */
const PAGE_HEADERS: Record<string, Record<string, string>> = {
  'csp.html': {
    'content-security-policy': "default-src 'self'; style-src 'self'; script-src 'self'",
  },
};
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

/**
 * The backend in demo mode (simulator included) behind one origin that also serves the test
 * pages at /e2e/<file>. `form` is merged over the demo form; `env` is added to the backend's.
 */
export async function startSite(form: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  if (!existsSync(join(here, '../../dist/deskie-form.js')))
    throw new Error('The widget is not built: run "npm run build" (npm test does).');
  let backendPort = 0;
  const site = createServer((req, res) => {
    const page = /^\/e2e\/([\w-]+)\.(html|js|css)(\?.*)?$/.exec(req.url ?? '');
    if (page) {
      const file = `${page[1]}.${page[2]}`;
      res.writeHead(200, {
        'content-type': `${TYPES[page[2] ?? 'html']}; charset=utf-8`,
        ...PAGE_HEADERS[file],
      });
      res.end(readFileSync(join(here, 'pages', file)));
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: backendPort, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

  const dir = mkdtempSync(join(tmpdir(), 'deskie-e2e-'));
  writeFileSync(
    join(dir, 'forms.json'),
    JSON.stringify({
      ...DEMO_CONFIG,
      forms: [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 1, ...form }],
      allowedOrigins: [origin],
      // The simulator's budget resets on the wall clock's minute: the plan's 50 calls would run
      // out or not depending on when the file ran and how fast.
      deskie: { ...DEMO_CONFIG.deskie, rpm: 1_000_000 },
      // The simulator answers at once: a lost answer is looked for after a second, not 30.
      delivery: { reconcileAfterSeconds: 1 },
      limits: {
        submissions: { limit: 1000, windowSeconds: 60 },
        lookups: { limit: 1000, windowSeconds: 60 },
      },
    }),
  );
  const backend = startEntry('server/runtimes/node.ts', {
    PORT: '0',
    DESKIE_FORM_CONFIG: join(dir, 'forms.json'),
    DESKIE_FORM_DATABASE: join(dir, 'outbox.sqlite'),
    ...env,
  });
  const [, port] = await backend.waitFor(/deskie-form on http:\/\/127\.0\.0\.1:(\d+)/);
  backendPort = Number(port);

  const sim = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${origin}/_deskie${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from('demo@example.com:demo-key').toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return answer.json() as Promise<Record<string, unknown>>;
  };
  return {
    origin,
    page: (file: string) => `${origin}/e2e/${file}`,
    /** The simulator's cases, oldest first. */
    cases: async () =>
      parseList(await sim('GET', '/api/cases.json?sort=created_at_asc'), 'case', simCase).items,
    messages: async (caseId: number) =>
      parseList(await sim('GET', `/api/cases/${caseId}/messages.json`), 'message', simMessage).items,
    reset: () => sim('POST', '/_sim/reset'),
    /** Changes the simulator's faults, e.g. `{ hold: true }`: Deskie answers nothing until `{ hold: false }`. */
    faults: (patch: Record<string, unknown>) => sim('PUT', '/_sim/faults', patch),
    /** How many API requests the hold keeps waiting right now. */
    held: async () => Number((await sim('GET', '/_sim/stats')).held),
  };
}

export type Site = Awaited<ReturnType<typeof startSite>>;

/** Every console error and uncaught exception of a page (a widget must add none). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The test pages have no icon; the browser asking for one is not the widget's doing.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      errors.push(`${message.text()} (${message.location().url})`);
  });
  return errors;
}

/** Fails on any axe-core violation of WCAG 2.0, 2.1 or 2.2 at levels A and AA. */
export async function expectAccessible(page: Page, state: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `axe violations in state "${state}"`).toEqual([]);
}

/**
 * The share of pixels that differ (any channel by more than 24) between two PNGs; their sizes may
 * differ by a pixel or two of rounding (more counts as everything differing).
 */
export async function pixelDifference(context: BrowserContext, a: Buffer, b: Buffer): Promise<number> {
  const page = await context.newPage();
  try {
    return await page.evaluate(
      async ([first, second]) => {
        const pixels = async (b64: string) => {
          const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
          ctx.drawImage(bitmap, 0, 0);
          return {
            w: bitmap.width,
            h: bitmap.height,
            data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data,
          };
        };
        const [x, y] = [await pixels(first), await pixels(second)];
        // The same picture may land a pixel off (fractional layout): the best of nine alignments.
        const w = Math.min(x.w, y.w) - 2;
        const h = Math.min(x.h, y.h) - 2;
        let best = 1;
        for (const dy of [-1, 0, 1])
          for (const dx of [-1, 0, 1]) {
            let differing = 0;
            for (let row = 1; row < h; row++)
              for (let col = 1; col < w; col++) {
                const i = (row * x.w + col) * 4;
                const j = ((row + dy) * y.w + col + dx) * 4;
                for (let c = 0; c < 3; c++)
                  if (Math.abs((x.data[i + c] ?? 0) - (y.data[j + c] ?? 0)) > 24) {
                    differing++;
                    break;
                  }
              }
            best = Math.min(best, differing / (w * h));
          }
        const sizes = Math.abs(x.w - y.w) + Math.abs(x.h - y.h);
        return sizes > 2 ? 1 : best;
      },
      [a.toString('base64'), b.toString('base64')] as const,
    );
  } finally {
    await page.close();
  }
}

/** Writes a screenshot for docs/ when DESKIE_SCREENSHOTS names a folder (npm run screenshots). */
export function keepScreenshot(name: string, png: Buffer) {
  const dir = process.env.DESKIE_SCREENSHOTS;
  if (dir) writeFileSync(join(dir, `${name}.png`), png);
}
