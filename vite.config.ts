import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
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
 * Writes a brotli (quality 11) and a gzip (level 9) copy beside every script the build emits: the
 * backend sends the best one a visitor's browser takes, compressed once here instead of per request.
 */
function precompress(): Plugin {
  return {
    name: 'deskie-form-precompress',
    writeBundle(options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!fileName.endsWith('.js')) continue;
        const path = join(options.dir ?? 'dist', fileName);
        const code = readFileSync(path);
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${path}.gz`, gzipSync(code, { level: 9 }));
      }
    },
  };
}

/** Appended to the published declaration: the global the loader declares for itself in the source. */
const WINDOW_GLOBAL = `
declare global {
  interface Window {
    DeskieForm?: DeskieForm;
  }
}
`;

/**
 * Writes dist/_headers: on Workers, Cloudflare's static assets serve the widget without running the
 * Worker (free, from the edge), with the same headers the app sends (server/http/widget-headers.ts).
 */
function assetHeaders(): Plugin {
  return {
    name: 'deskie-form-asset-headers',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: assetHeadersFile() });
      // Cloudflare compresses what it serves itself; the copies for Node and Lambda stay behind.
      this.emitFile({ type: 'asset', fileName: '.assetsignore', source: '*.br\n*.gz\n' });
      // The embedder's typed API, published beside the loader it describes, with the global the
      // loader declares for itself in the source.
      this.emitFile({
        type: 'asset',
        fileName: 'deskie-form.d.ts',
        source: `${readFileSync('widget/deskie-form.d.ts', 'utf8')}${WINDOW_GLOBAL}`,
      });
    },
  };
}

/**
 * JSX as `h(type, props, ...children)` rather than the automatic runtime's `jsx(type, { children })`:
 * the same elements in fewer bytes (~1 % of the form chunk, compressed). `h` is imported into .tsx
 * files only: a plain module importing Preact would pull it into the loader.
 */
function classicJsx(): Plugin {
  return {
    name: 'deskie-form-classic-jsx',
    enforce: 'pre',
    // Never the development transform (file names and lines on every element), whatever NODE_ENV
    // says — inside vitest it says "test", and the budget test builds the widget there.
    config: () => ({
      oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment', development: false } },
    }),
    transform(code, id) {
      // Appended (imports are hoisted), so every line of the file keeps its place in source maps.
      if (id.endsWith('.tsx')) return { code: `${code}\nimport { h, Fragment } from 'preact';`, map: null };
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [
    // No Preact devtools in any build: they would otherwise join whenever NODE_ENV is not
    // "production" — as inside vitest, where the budget test builds the widget it measures.
    preact({ devToolsEnabled: false }),
    classicJsx(),
    precompress(),
    ...(mode === 'loader' ? [formChunkName(), assetHeaders()] : []),
  ],
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
          // Browsers with CSS light-dark() (2024 on): the theme's colours are written once, not
          // lowered into a copy per colour scheme. Older browsers show the form in plain colours.
          cssTarget: ['chrome123', 'edge123', 'firefox120', 'safari17.5'],
          // Library mode: no module-preload helper around the locale imports.
          lib: { entry: { app: 'widget/app.tsx' }, formats: ['es'] },
          rollupOptions: {
            // What the form shares with a lazy chunk (Preact, signals, state) stays in the form's
            // chunk, which is loaded first anyway — never a third file, an extra round trip later.
            preserveEntrySignatures: 'allow-extension',
            output: {
              entryFileNames: 'deskie-form/[name]-[hash].js',
              chunkFileNames: 'deskie-form/[name]-[hash].js',
              // Library mode leaves ES output readable; visitors get it minified, without the
              // /* @__PURE__ */ notes a library keeps for bundlers downstream (there are none).
              minify: true,
              // Everything the form imports statically is the form's chunk, whichever lazy chunks
              // use it too. Left to itself the bundler splits modules that two lazy chunks share
              // differently (Preact and its hooks, say, but not signals) into a file of their own.
              codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
              comments: { legal: true, annotation: false, jsdoc: false },
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
