/** The widget bundle as a site owner's visitors download it: its size budget, and nothing of the server in it. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWidgetBundle } from '../bench/widget';

// Today's bundle is ~24.4 KB gzipped (widget.bundle_gzip_bytes in docs/benchmarks.md) (Preact, signals, zod/mini and the form). The ceiling stops
// growth; the widget work brings it down (lazy form, a smaller rules interpreter).
const BUDGET_GZIP_BYTES = 25 * 1024;

describe('widget bundle', () => {
  it('builds as one IIFE within its gzip budget, with nothing of the server inside', {
    timeout: 60_000,
  }, async () => {
    const code = await buildWidgetBundle();
    const gzipped = gzipSync(code, { level: 9 }).byteLength;
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    const text = code.toString('utf8');
    expect(text.startsWith('(function(')).toBe(true);
    for (const serverOnly of [
      'DESKIE_API_KEY',
      'demo-key',
      'kysely',
      'better-sqlite3',
      'node:',
      'process.env',
    ])
      expect(text, serverOnly).not.toContain(serverOnly);
  });
});
