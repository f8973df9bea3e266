/** The widget bundle as visitors download it: built by vite, measured gzipped (level 9) and brotli. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'vite';

/** Builds the bundle into a temp folder with the project's vite config; returns its bytes. */
export async function buildWidgetBundle(): Promise<Buffer> {
  const outDir = mkdtempSync(join(tmpdir(), 'deskie-bundle-'));
  await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return readFileSync(join(outDir, 'deskie-form.js'));
}

export async function benchWidget(): Promise<Record<string, number>> {
  const code = await buildWidgetBundle();
  return {
    'widget.bundle_bytes': code.byteLength,
    'widget.bundle_gzip_bytes': gzipSync(code, { level: 9 }).byteLength,
    'widget.bundle_brotli_bytes': brotliCompressSync(code).byteLength,
  };
}
