/**
 * `npm run deploy:workers`: checks the Deskie account and the form config exactly as the Worker
 * will, builds the widget, and deploys the backend with wrangler (D1 and R2 are created on the first
 * deploy). Credentials go up as Worker secrets through a file only this user can read, removed
 * afterwards; nothing secret is printed or passed on a command line. Extra arguments go to
 * `wrangler deploy` (e.g. `-- --dry-run --outdir build/worker` to build without deploying), except
 * `--no-build`, which skips building the widget.
 *
 * Reads: DESKIE_URL, DESKIE_STAFF_EMAIL, DESKIE_API_KEY (required); DESKIE_FORM_CONFIG (the config
 * file, default the demo form); DESKIE_FORM_SECRET (default: the Worker's own, made on the first
 * deploy); ADMIN_TOKEN and CAPTCHA_SECRET (optional).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../server/config';
import { loadConfig } from '../server/config-file';
import { parseEnv, usesRealDeskie } from '../server/env';
import { captchaFor } from '../server/runtime';

const OWN_SECRET = 'the Worker keeps its own signing secret';
const root = fileURLToPath(new URL('..', import.meta.url));
// `--no-build` is ours (the widget is built already); the rest go to wrangler.
const wranglerArgs = process.argv.slice(2).filter((a) => a !== '--no-build');
const build = !process.argv.includes('--no-build');
const dryRun = wranglerArgs.includes('--dry-run');
const wrangler = (args: string[], capture = false) =>
  spawnSync(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), ...args], {
    cwd: root,
    stdio: capture ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
  });

/** The environment and config as the Worker will check them; every problem at once. */
async function check() {
  const problems: string[] = [];
  const env = (() => {
    try {
      // Without a signing secret of the owner's, the Worker keeps (or is given) one of its own.
      const secret = process.env.DESKIE_FORM_SECRET || OWN_SECRET;
      return parseEnv({ ...process.env, DESKIE_FORM_DATABASE: undefined, DESKIE_FORM_SECRET: secret });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  })();
  if (env && !usesRealDeskie(env))
    problems.push('DESKIE_URL, DESKIE_STAFF_EMAIL, DESKIE_API_KEY: your Deskie account (all three)');
  const path = process.env.DESKIE_FORM_CONFIG ?? join(root, 'server/config/demo.json');
  let config: string | undefined;
  try {
    const checked = await loadConfig(path);
    if (env) captchaFor(checked, env.CAPTCHA_SECRET);
    // The owner's file as written (defaults are filled in by the Worker, as on Node), on one line.
    config = JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !env || !config) throw new ConfigError(problems);
  if (!process.env.DESKIE_FORM_CONFIG)
    console.warn(
      'deploy: DESKIE_FORM_CONFIG is not set, so the demo form goes up (see docs/configuration.md)',
    );
  return { env, config };
}

/** Whether the deployed Worker already has a secret `name` (false when there is no Worker yet). */
function hasSecret(name: string): boolean {
  const listed = wrangler(['secret', 'list', '--format', 'json'], true);
  if (listed.status !== 0) return false;
  try {
    return (JSON.parse(listed.stdout) as { name: string }[]).some((s) => s.name === name);
  } catch {
    return false;
  }
}

let env: Awaited<ReturnType<typeof check>>['env'];
let config: string;
try {
  ({ env, config } = await check());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`deploy: nothing deployed.\n${error.message}`);
  process.exit(1);
}

const secrets: Record<string, string> = { DESKIE_API_KEY: env.DESKIE_API_KEY ?? '' };
if (env.ADMIN_TOKEN) secrets.ADMIN_TOKEN = env.ADMIN_TOKEN;
if (env.CAPTCHA_SECRET) secrets.CAPTCHA_SECRET = env.CAPTCHA_SECRET;
if (env.DESKIE_FORM_SECRET !== OWN_SECRET) secrets.DESKIE_FORM_SECRET = env.DESKIE_FORM_SECRET ?? '';
else if (dryRun || !hasSecret('DESKIE_FORM_SECRET')) {
  // Made once: a new one on every deploy would revoke every visitor's lookup token.
  secrets.DESKIE_FORM_SECRET = [...crypto.getRandomValues(new Uint8Array(32))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  if (!dryRun) console.log('deploy: made a signing secret for this Worker (kept as its DESKIE_FORM_SECRET)');
}

if (build) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'deskie-form-deploy-'));
const secretsFile = join(dir, 'secrets.json');
writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
try {
  const deployed = wrangler([
    'deploy',
    '--secrets-file',
    secretsFile,
    '--var',
    `DESKIE_URL:${env.DESKIE_URL}`,
    '--var',
    `DESKIE_STAFF_EMAIL:${env.DESKIE_STAFF_EMAIL}`,
    // Built into the Worker: a variable would hold at most 5 KB.
    '--define',
    `__DESKIE_FORM_CONFIG__:${JSON.stringify(config)}`,
    ...wranglerArgs,
  ]);
  process.exitCode = deployed.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
