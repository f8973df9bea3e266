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
 * deploy); ADMIN_TOKEN, CAPTCHA_SECRET and DESKIE_FORM_NOTIFY_SECRET (optional; the last is
 * required when the config has `notify`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv, usesRealDeskie } from '../server/config/env';
import { readConfigFile } from '../server/config/load';
import { ConfigError, gatherProblems, parseConfig } from '../server/config/schema';
import { randomHex } from '../server/core/hash';
import { captchaFor, notifyFor } from '../server/runtimes/backend';

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
  const { problems, check, keep } = gatherProblems();
  // Without a signing secret of the owner's, the Worker keeps (or is given) one of its own.
  const secret = process.env.DESKIE_FORM_SECRET || OWN_SECRET;
  const env = check(() =>
    parseEnv({ ...process.env, DESKIE_FORM_DATABASE: undefined, DESKIE_FORM_SECRET: secret }),
  );
  if (env && !usesRealDeskie(env))
    problems.push('DESKIE_URL, DESKIE_STAFF_EMAIL, DESKIE_API_KEY: your Deskie account (all three)');
  const path = process.env.DESKIE_FORM_CONFIG ?? join(root, 'server/config/demo.json');
  const raw = await readConfigFile(path).catch(keep);
  const loaded = raw === undefined ? undefined : check(() => parseConfig(raw));
  if (loaded && env) check(() => captchaFor(loaded, env.CAPTCHA_SECRET));
  if (loaded && env) check(() => notifyFor(loaded, env.DESKIE_FORM_NOTIFY_SECRET));
  // The owner's file as written (defaults are filled in by the Worker, as on Node), as JSON on one line.
  const config = loaded && JSON.stringify(raw);
  if (problems.length > 0 || !env || !config) throw new ConfigError(problems);
  if (!process.env.DESKIE_FORM_CONFIG)
    console.warn(
      'deploy: DESKIE_FORM_CONFIG is not set, so the demo form goes up (see docs/configuration.md)',
    );
  return { env, config };
}

/**
 * Whether the deployed Worker already has a secret `name` (false when there is no Worker yet).
 * Any other failure stops the deploy: guessing "no" would replace the signing secret.
 */
function hasSecret(name: string): boolean {
  const listed = wrangler(['secret', 'list', '--format', 'json'], true);
  const output = `${listed.stdout}${listed.stderr}`;
  if (listed.status !== 0) {
    // Cloudflare's "this Worker does not exist" (code 10007): the first deploy.
    if (/10007|does not exist/i.test(output)) return false;
    console.error(`deploy: nothing deployed: could not read the Worker's secrets.\n${output}`);
    process.exit(1);
  }
  return (JSON.parse(listed.stdout) as { name: string }[]).some((s) => s.name === name);
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

// Sign in first, where the person can see it: the secret lookup below runs with its output captured.
if (!dryRun && !process.env.CLOUDFLARE_API_TOKEN) {
  const who = wrangler(['whoami'], true);
  if (/not authenticated/i.test(`${who.stdout}${who.stderr}`) && wrangler(['login']).status !== 0) {
    console.error('deploy: nothing deployed (not signed in to Cloudflare)');
    process.exit(1);
  }
}

const secrets: Record<string, string> = { DESKIE_API_KEY: env.DESKIE_API_KEY ?? '' };
if (env.ADMIN_TOKEN) secrets.ADMIN_TOKEN = env.ADMIN_TOKEN;
if (env.CAPTCHA_SECRET) secrets.CAPTCHA_SECRET = env.CAPTCHA_SECRET;
if (env.DESKIE_FORM_NOTIFY_SECRET) secrets.DESKIE_FORM_NOTIFY_SECRET = env.DESKIE_FORM_NOTIFY_SECRET;
if (env.DESKIE_FORM_SECRET !== OWN_SECRET) secrets.DESKIE_FORM_SECRET = env.DESKIE_FORM_SECRET ?? '';
else if (dryRun || !hasSecret('DESKIE_FORM_SECRET')) {
  // Made once: a new one on every deploy would revoke every visitor's lookup token.
  secrets.DESKIE_FORM_SECRET = randomHex(32);
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
