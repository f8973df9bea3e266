import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [preact()],
  // public/ is the demo host page, served by the backend itself; it is not part of the bundle.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    lib: {
      entry: 'widget/main.ts',
      name: 'DeskieFormBundle',
      formats: ['iife'],
      fileName: () => 'deskie-form.js',
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
});
