/** The widget as a site owner's visitors download it: its size budgets, and nothing of the server in it. */
import { describe, expect, it } from 'vitest';
import { buildWidget, gzipBytes } from '../bench/widget';

/** All a page loads before the form is wanted (3 kB, counted in thousands as size-limit does). */
const LOADER_GZIP_BYTES = 3_000;
/** Everything for a submission and a lookup: Preact, state, validation, views, English, styles. */
const FULL_GZIP_BYTES = 16 * 1024;

const built = await buildWidget();

describe('widget bundle', () => {
  it('keeps the loader within 3 kB gzipped: a classic script with no Preact inside', () => {
    expect(gzipBytes(built.loader)).toBeLessThanOrEqual(LOADER_GZIP_BYTES);
    const text = built.loader.toString('utf8');
    expect(text.startsWith('(function(')).toBe(true);
    expect(text).not.toMatch(/__k|__e|options\.vnode/); // Preact's internals stay in the form chunk
    expect(text).toMatch(/import\(new URL\(`deskie-form\/app-[\w-]+\.js`/);
  });

  it('keeps the form chunk within 16 KB gzipped, with other locales in chunks of their own', () => {
    expect(gzipBytes(built.form)).toBeLessThanOrEqual(FULL_GZIP_BYTES);
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
