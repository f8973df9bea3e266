/**
 * The widget as a site owner's visitors download it: its size budgets in bytes as the backend
 * delivers them (body bytes over HTTP, with brotli and with gzip), and nothing of the server in it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { serveWidget } from '../bench/served';
import { buildWidget, LOCALE_FILES } from '../bench/widget';
import { DEMO_CONFIG } from '../helpers/backend';

/** All a page loads before the form is wanted (3 kB, counted in thousands as size-limit does). */
const LOADER_BYTES = 3_000;
/** Everything to file a request: Preact, signals, state, validation, the form and answer views, English, styles. */
const FORM_GZIP_BYTES = 16 * 1024;
const FORM_BR_BYTES = 14_500;
/** Each chunk fetched when the visitor reaches for it (a view, the launcher's dialog, a locale). */
const LAZY_GZIP_BYTES = 6 * 1024;

const built = await buildWidget();
const served = await serveWidget(built.outDir, DEMO_CONFIG);
afterAll(() => served.close());
const path = (prefix: string) =>
  `/${Object.keys(built.files).find((p) => p.startsWith(`deskie-form/${prefix}-`))}`;
const text = (prefix: string) => built.files[path(prefix).slice(1)]?.toString('utf8') ?? '';

describe('widget bundle', () => {
  it('delivers the loader in 3 kB with brotli and with gzip: a classic script with no Preact inside', async () => {
    const bytes = await served.sizes('/deskie-form.js');
    expect(bytes.br).toBeLessThanOrEqual(LOADER_BYTES);
    expect(bytes.gzip).toBeLessThanOrEqual(LOADER_BYTES);
    expect(bytes.identity).toBe(built.loader.byteLength);
    const text = built.loader.toString('utf8');
    expect(text.startsWith('(function(')).toBe(true);
    expect(text).not.toMatch(/__k|__e|options\.vnode/); // Preact's internals stay in the form chunk
    expect(text).toMatch(/import\(new URL\(`deskie-form\/app-[\w-]+\.js`/);
  });

  it('delivers the form chunk in 16 KB gzipped and 14.5 kB with brotli, other locales in chunks of their own', async () => {
    const bytes = await served.sizes(path('app'));
    expect(bytes.br).toBeLessThanOrEqual(FORM_BR_BYTES);
    expect(bytes.gzip).toBeLessThanOrEqual(FORM_GZIP_BYTES);
    expect(bytes.identity).toBe(built.form.byteLength);
    const form = built.form.toString('utf8');
    expect(form).toContain('Please check these fields:');
    expect(form).not.toContain('Написать в поддержку');
    expect(form).not.toContain('Спасибо');
    expect(form).not.toContain('Vielen Dank');
    expect(built.locales.ru?.toString('utf8')).toContain('Спасибо');
    expect(built.locales.ar?.toString('utf8')).toContain('شكرًا');
  });

  it('keeps what a visitor reaches for in chunks of their own, each within 6 KB gzipped', async () => {
    const form = built.form.toString('utf8');
    // What marks each chunk's code: its words, or what only it does.
    const lazy = {
      lookup: 'We found no request with that number and email.',
      attach: 'The files together are larger than',
      dialog: 'df-close',
      box: 'ResizeObserver',
      captcha: 'challenges.cloudflare.com',
      adaptive: 'Added to the form',
      done: 'Thank you — we received your request',
    };
    // Nothing else: a chunk the bundler split off to share would be one more round trip before the form.
    const chunks = Object.keys(built.files).flatMap(
      (p) => /^deskie-form\/(\w+)-[\w-]+\.js$/.exec(p)?.[1] ?? [],
    );
    expect(chunks.sort()).toEqual(['app', ...Object.keys(lazy), 'locales', ...LOCALE_FILES].sort());
    for (const [chunk, mark] of Object.entries(lazy)) {
      expect(text(chunk), chunk).toContain(mark);
      expect(form, `${chunk} in the form chunk`).not.toContain(mark);
      expect((await served.sizes(path(chunk), ['gzip'])).gzip, chunk).toBeLessThanOrEqual(LAZY_GZIP_BYTES);
    }
    for (const locale of ['locales', ...LOCALE_FILES])
      expect((await served.sizes(path(locale), ['gzip'])).gzip, locale).toBeLessThanOrEqual(LAZY_GZIP_BYTES);
  });

  it('holds no secret and nothing of the server', () => {
    for (const [path, code] of Object.entries(built.files)) {
      const text = code.toString('utf8');
      for (const serverOnly of [
        'DESKIE_API_KEY',
        'DESKIE_FORM_SECRET',
        'demo-key',
        'kysely',
        'better-sqlite3',
        'node:',
        'process.env',
        'hono',
        'staff_email',
      ])
        expect(text, `${path} contains ${serverOnly}`).not.toContain(serverOnly);
    }
  });
});
