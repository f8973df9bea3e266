/**
 * The widget as visitors download it, built by vite in its two steps and measured as the backend
 * delivers it, brotli and gzip: the loader (all a page loads before the form is wanted), the form
 * chunk (Preact, signals, state, validation, the form and answer views, English, styles), each
 * chunk loaded on intent (the launcher's dialog, lookups, the file list, a captcha) and each extra
 * locale — then the widget on host pages in Chromium (host.ts).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { benchHost } from './host';
import { serveWidget } from './served';

export interface WidgetBuild {
  /** Where it was built (dist/ layout: deskie-form.js and deskie-form/…, each with .br and .gz). */
  outDir: string;
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
    if (name.endsWith('.js')) files[`deskie-form/${name}`] = readFileSync(join(outDir, 'deskie-form', name));
  const chunk = (prefix: string) =>
    Object.entries(files).find(([path]) => path.startsWith(`deskie-form/${prefix}-`))?.[1] ?? Buffer.alloc(0);
  return {
    outDir,
    loader: files['deskie-form.js'] as Buffer,
    form: chunk('app'),
    locales: { ru: chunk('ru'), ar: chunk('ar') },
    files,
  };
}

/** The locale chunks' file names (widget/strings/locales.ts). */
export const LOCALE_FILES = [
  'ar',
  'de',
  'es',
  'fa',
  'fr',
  'he',
  'it',
  'ja',
  'pl',
  'pt',
  'ru',
  'tr',
  'uk',
  'zh',
];

export const gzipBytes = (code: Buffer) => gzipSync(code, { level: 9 }).byteLength;

/** The path a built file is served at. */
const pathOf = (files: Record<string, Buffer>, prefix: string) =>
  `/${Object.keys(files).find((path) => path.startsWith(prefix)) ?? prefix}`;

export async function benchWidget(): Promise<Record<string, number>> {
  const { outDir, files } = await buildWidget();
  const demo = JSON.parse(readFileSync(new URL('../../server/config/demo.json', import.meta.url), 'utf8'));
  const served = await serveWidget(outDir, demo);
  const loader = await served.sizes('/deskie-form.js');
  const form = await served.sizes(pathOf(files, 'deskie-form/app-'));
  // Each locale's strings (files named by language: pt holds pt-BR, zh zh-CN), and the index that finds them.
  const locales: Record<string, number> = {};
  for (const name of ['locales', ...LOCALE_FILES]) {
    const bytes = await served.sizes(pathOf(files, `deskie-form/${name}-`), ['br', 'gzip']);
    const key = name === 'locales' ? 'locales_index' : `locale_${name}`;
    locales[`widget.${key}_served_br_bytes`] = bytes.br;
    locales[`widget.${key}_served_gzip_bytes`] = bytes.gzip;
  }
  const definition = await served.sizes('/v1/forms/support', ['gzip', 'identity']);
  /** A lazily loaded chunk's bytes as delivered, brotli and gzip. */
  const chunk = async (name: string) => {
    const bytes = await served.sizes(pathOf(files, `deskie-form/${name}-`), ['br', 'gzip']);
    return { [`widget.${name}_served_br_bytes`]: bytes.br, [`widget.${name}_served_gzip_bytes`]: bytes.gzip };
  };
  const chunks = {
    ...(await chunk('dialog')),
    ...(await chunk('lookup')),
    ...(await chunk('attach')),
    ...(await chunk('captcha')),
    ...(await chunk('done')),
    ...(await chunk('adaptive')),
  };
  await served.close();
  return {
    'widget.loader_served_br_bytes': loader.br,
    'widget.loader_served_gzip_bytes': loader.gzip,
    'widget.loader_served_identity_bytes': loader.identity,
    'widget.form_served_br_bytes': form.br,
    'widget.form_served_gzip_bytes': form.gzip,
    'widget.form_served_identity_bytes': form.identity,
    'widget.total_served_br_bytes': loader.br + form.br,
    'widget.total_served_gzip_bytes': loader.gzip + form.gzip,
    ...locales,
    ...chunks,
    'server.form_definition_served_gzip_bytes': definition.gzip,
    'server.form_definition_served_identity_bytes': definition.identity,
    ...(await benchHost(outDir, demo)),
  };
}
