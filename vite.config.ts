import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { assetHeadersFile } from './server/http/widget-headers.ts';

/**
 * The widget is built in two steps (`npm run build`):
 * 1. `vite build` — the form (widget/app.tsx) as ES modules under dist/deskie-form/, with hashed
 *    names so browsers may keep them forever; each extra locale is its own chunk.
 * 2. `vite build --mode loader` — widget/main.ts as one small classic script, dist/deskie-form.js,
 *    which imports the form chunk by the name step 1 gave it.
 */

/** Defines __DF_APP__ in the loader: the hashed name step 1 gave the form chunk. */
function formChunkName(): Plugin {
  return {
    name: 'deskie-form-chunk-name',
    config(config) {
      const dir = join(resolve(config.root ?? '.', config.build?.outDir ?? 'dist'), 'deskie-form');
      let files: string[] = [];
      try {
        files = readdirSync(dir);
      } catch {}
      const app = files.find((f) => /^app-[\w-]+\.js$/.test(f));
      if (!app)
        throw new Error('The form chunk is missing: run "vite build" before "vite build --mode loader".');
      return { define: { __DF_APP__: JSON.stringify(`deskie-form/${app}`) } };
    },
  };
}

/**
 * Writes dist/_headers: on Workers, Cloudflare's static assets serve the widget without running the
 * Worker (free, from the edge), with the same headers the app sends (server/http/widget-headers.ts).
 */
function assetHeaders(): Plugin {
  return {
    name: 'deskie-form-asset-headers',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: assetHeadersFile() });
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [preact(), ...(mode === 'loader' ? [formChunkName(), assetHeaders()] : [])],
  // public/ is the demo host page, served by the backend itself; it is not part of the bundle.
  publicDir: false,
  build:
    mode === 'loader'
      ? {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          lib: {
            entry: 'widget/main.ts',
            name: 'DeskieFormLoader',
            formats: ['iife'],
            fileName: () => 'deskie-form.js',
          },
        }
      : {
          outDir: 'dist',
          emptyOutDir: true,
          target: 'es2022',
          // Library mode: no module-preload helper around the locale imports.
          lib: { entry: { app: 'widget/app.tsx' }, formats: ['es'] },
          rollupOptions: {
            output: {
              entryFileNames: 'deskie-form/[name]-[hash].js',
              chunkFileNames: 'deskie-form/[name]-[hash].js',
              // Library mode leaves ES output readable; visitors get it minified.
              minify: true,
            },
          },
        },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/bench/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // vitest's own summary first, then the plain `N passed, N failed` line CI reads.
    reporters: ['default', './test/summary-reporter.ts'],
  },
}));
