/**
 * `npm run deploy:workers` offline (`-- --dry-run`): it refuses an incomplete account or a bad
 * config before anything is built, naming each problem; with a good one it hands wrangler a Worker
 * bundle that holds neither the Deskie key nor the signing secret, and prints neither.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const KEY = 'sk-deploy-test-key-4b1d';
const SECRET = 'deploy-test-signing-secret-0123456789';

/**
 * Runs the deploy script with `env` (nothing of this process's Deskie settings leaks in) on the
 * widget `npm test` built, with a temp folder of its own.
 */
function deploy(env: Record<string, string>, args: string[] = [], temp = mkdtempSync(join(tmpdir(), 'df-'))) {
  const script = ['--import', 'tsx', 'scripts/deploy-workers.ts', '--no-build', ...args];
  const run = spawnSync(process.execPath, script, {
    env: {
      PATH: process.env.PATH ?? '',
      TMPDIR: temp,
      HOME: process.env.HOME ?? tmpdir(),
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      ...env,
    },
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('npm run deploy:workers', () => {
  it('deploys nothing without the whole Deskie account or with a bad config, and says what is wrong', () => {
    const partial = deploy({ DESKIE_URL: 'https://acme.deskie.io' }, ['--dry-run']);
    expect(partial.code).toBe(1);
    expect(partial.output).toContain('nothing deployed');
    expect(partial.output).toContain('set DESKIE_URL, DESKIE_STAFF_EMAIL and DESKIE_API_KEY together');

    const dir = mkdtempSync(join(tmpdir(), 'deskie-deploy-'));
    writeFileSync(join(dir, 'forms.json'), JSON.stringify({ forms: [{ id: 'Not An Id', fields: [] }] }));
    const bad = deploy(
      {
        DESKIE_URL: 'https://acme.deskie.io',
        DESKIE_STAFF_EMAIL: 'ops@acme.example',
        DESKIE_API_KEY: KEY,
        DESKIE_FORM_CONFIG: join(dir, 'forms.json'),
      },
      ['--dry-run'],
    );
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/forms\[0\]\.id/);
    expect(bad.output).not.toContain(KEY);
  });

  it('builds a Worker bundle without the key or the secret in it or in its output', () => {
    const out = mkdtempSync(join(tmpdir(), 'deskie-worker-build-'));
    const temp = mkdtempSync(join(tmpdir(), 'deskie-deploy-temp-'));
    const run = deploy(
      {
        DESKIE_URL: 'https://acme.deskie.io',
        DESKIE_STAFF_EMAIL: 'ops@acme.example',
        DESKIE_API_KEY: KEY,
        DESKIE_FORM_SECRET: SECRET,
      },
      ['--dry-run', '--outdir', out],
      temp,
    );
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/env\.DB \(deskie-form\)\s+D1 Database/);
    expect(run.output).toMatch(/env\.FILES \(deskie-form-files\)\s+R2 Bucket/);
    expect(run.output).not.toContain(KEY);
    expect(run.output).not.toContain(SECRET);
    const bundle = readFileSync(join(out, 'worker.js'), 'utf8');
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(bundle).not.toContain(KEY);
    expect(bundle).not.toContain(SECRET);
    // The config is built in (a Worker variable holds at most 5 KB).
    expect(bundle).toContain('Contact support');
    // The secrets file is gone: nothing secret is left on disk for the next user of this machine.
    const left = readdirSync(temp, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const file of left)
      expect(readFileSync(join(file.parentPath, file.name), 'utf8')).not.toContain(KEY);
  }, 120_000);
});
