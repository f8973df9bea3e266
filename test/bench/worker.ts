/**
 * The backend as Cloudflare uploads it: `wrangler deploy --dry-run` (offline) bundles and minifies
 * server/runtimes/worker.ts with everything it imports; measured raw and gzipped (level 9).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipBytes } from './widget';

export async function benchWorker(): Promise<Record<string, number>> {
  const outdir = mkdtempSync(join(tmpdir(), 'deskie-worker-bench-'));
  const run = spawnSync(
    process.execPath,
    ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', outdir],
    {
      env: {
        ...process.env,
        CI: 'true',
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}${run.stderr}`);
  const bundle = readFileSync(join(outdir, 'worker.js'));
  return { 'worker.bundle_bytes': bundle.byteLength, 'worker.bundle_gzip_bytes': gzipBytes(bundle) };
}
