/**
 * The widget as visitors download it, built by vite in its two steps and measured gzipped
 * (level 9) and brotli: the loader (all a page loads before the form is wanted), the form chunk
 * (Preact, state, validation, views, English, styles), and each extra locale.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'vite';

export interface WidgetBuild {
  loader: Buffer;
  form: Buffer;
  /** Locale chunks by language. */
  locales: Record<string, Buffer>;
  /** Every file written, by its path under the output folder. */
  files: Record<string, Buffer>;
}

/** Builds the widget into a temp folder with the project's vite config (both steps). */
export async function buildWidget(): Promise<WidgetBuild> {
  const outDir = mkdtempSync(join(tmpdir(), 'deskie-bundle-'));
  await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  await build({ configFile: 'vite.config.ts', mode: 'loader', logLevel: 'silent', build: { outDir } });
  const files: Record<string, Buffer> = { 'deskie-form.js': readFileSync(join(outDir, 'deskie-form.js')) };
  for (const name of readdirSync(join(outDir, 'deskie-form')))
    files[`deskie-form/${name}`] = readFileSync(join(outDir, 'deskie-form', name));
  const chunk = (prefix: string) =>
    Object.entries(files).find(([path]) => path.startsWith(`deskie-form/${prefix}-`))?.[1] ?? Buffer.alloc(0);
  return {
    loader: files['deskie-form.js'] as Buffer,
    form: chunk('app'),
    locales: { ru: chunk('ru'), ar: chunk('ar') },
    files,
  };
}

export const gzipBytes = (code: Buffer) => gzipSync(code, { level: 9 }).byteLength;
export const brotliBytes = (code: Buffer) => brotliCompressSync(code).byteLength;

export async function benchWidget(): Promise<Record<string, number>> {
  const { loader, form, locales } = await buildWidget();
  return {
    'widget.loader_gzip_bytes': gzipBytes(loader),
    'widget.loader_brotli_bytes': brotliBytes(loader),
    'widget.full_gzip_bytes': gzipBytes(form),
    'widget.full_brotli_bytes': brotliBytes(form),
    'widget.total_gzip_bytes': gzipBytes(loader) + gzipBytes(form),
    'widget.locale_ru_gzip_bytes': gzipBytes(locales.ru ?? Buffer.alloc(0)),
    'widget.locale_ar_gzip_bytes': gzipBytes(locales.ar ?? Buffer.alloc(0)),
  };
}
