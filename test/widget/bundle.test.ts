/**
 * The widget as a site owner's visitors download it: its size budgets in bytes as the backend
 * delivers them (body bytes over HTTP, with brotli and with gzip), and nothing of the server in it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { serveWidget } from '../bench/served';
import { buildWidget } from '../bench/widget';
import { DEMO_CONFIG } from '../helpers/backend';

/** All a page loads before the form is wanted (3 kB, counted in thousands as size-limit does). */
const LOADER_BYTES = 3_000;
/** Everything for a submission and a lookup: Preact, state, validation, views, English, styles. */
const FORM_BYTES = 16 * 1024;

const built = await buildWidget();
const served = await serveWidget(built.outDir, DEMO_CONFIG);
afterAll(() => served.close());
const formPath = `/${Object.keys(built.files).find((path) => path.startsWith('deskie-form/app-'))}`;

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

  it('delivers the form chunk in 16 KB with brotli and with gzip, other locales in chunks of their own', async () => {
    const bytes = await served.sizes(formPath);
    expect(bytes.br).toBeLessThanOrEqual(FORM_BYTES);
    expect(bytes.gzip).toBeLessThanOrEqual(FORM_BYTES);
    expect(bytes.identity).toBe(built.form.byteLength);
    const form = built.form.toString('utf8');
    expect(form).toContain('Thank you — we received your request');
    expect(form).not.toContain('Написать в поддержку');
    expect(form).not.toContain('Спасибо');
    expect(built.locales.ru?.toString('utf8')).toContain('Спасибо');
    expect(built.locales.ar?.toString('utf8')).toContain('شكرًا');
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
