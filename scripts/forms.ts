/**
 * `npm run forms -- <command>`: the config against the Deskie account it files into. The account
 * is the one DESKIE_URL, DESKIE_STAFF_EMAIL and DESKIE_API_KEY name; without them, the built-in
 * simulator's demo account.
 *   init [file] [--force]  write a starter config from the account: every active custom field with
 *                          its type and options, the groups, agents, labels and languages by name
 *                          (default file: forms.jsonc; an existing file is kept unless --force)
 *   check [file]           check a config (default: DESKIE_FORM_CONFIG, else the demo's) against the
 *                          account: every key to fix, one line each; exit 1 when Deskie would refuse
 *   routes [file]          what lands where: each form's routing, by name
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deskieAccount, parseEnv, usesRealDeskie } from '../server/config/env';
import { loadConfig } from '../server/config/load';
import { type Config, ConfigError } from '../server/config/schema';
import { createDeskieClient } from '../server/deskie/client';
import { type Account, accountProblems, readAccount } from '../server/forms/account';
import { routeTable } from '../server/forms/routes-table';
import { starterConfig } from '../server/forms/starter';
import { createGovernor } from '../server/rate/governor';
import { createSimulator } from '../server/simulator/app';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...rest] = process.argv.slice(2);
const force = rest.includes('--force');
const file = rest.find((a) => !a.startsWith('--'));

/** The account to read, and how to name it: the environment's, or the simulator's demo account. */
function connect() {
  // The signing secret is the server's business, not a check's: any will do here.
  const env = parseEnv({ ...process.env, DESKIE_FORM_SECRET: 'forms-cli-'.repeat(4) });
  // A Basic plan with one agent: the least any account allows, so a check never crowds out cases.
  const governor = createGovernor({ rpm: 20 });
  if (usesRealDeskie(env)) {
    const account = deskieAccount(env);
    return { source: account.baseUrl, client: createDeskieClient({ ...account, governor }) };
  }
  const sim = createSimulator();
  const client = createDeskieClient({
    baseUrl: 'http://simulator',
    staffEmail: 'demo@example.com',
    apiKey: 'demo-key',
    governor,
    fetch: (input, init) => Promise.resolve(sim.app.fetch(new Request(input, init))),
  });
  return { source: "the built-in simulator's demo account (set DESKIE_URL for yours)", client };
}

async function read(): Promise<{ source: string; account: Account }> {
  const { source, client } = connect();
  try {
    return { source, account: await readAccount(client) };
  } catch (error) {
    console.error(`forms: could not read the account at ${source}: ${error}`);
    process.exit(2);
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const configPath = () => file ?? process.env.DESKIE_FORM_CONFIG ?? join(root, 'server/config/demo.json');

async function config(): Promise<Config> {
  try {
    return await loadConfig(configPath());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${configPath()}: the config itself needs fixing first\n${error.message}`);
    process.exit(1);
  }
}

if (command === 'init') {
  const target = file ?? 'forms.jsonc';
  if (existsSync(target) && !force) {
    console.error(`forms: ${target} exists; pass --force to replace it, or name another file`);
    process.exit(1);
  }
  const { source, account } = await read();
  writeFileSync(target, starterConfig(account, source));
  const fields = account.customFields.filter((f) => f.active).length;
  console.log(`forms: wrote ${target} from ${source}: ${fields} custom fields, by name`);
  console.log(`  Next: edit it, then npm run forms -- check ${target}`);
} else if (command === 'check') {
  const loaded = await config();
  const { source, account } = await read();
  const found = accountProblems(loaded, account);
  const errors = found.filter((p) => p.severity === 'error');
  for (const p of found) console.log(`  ${p.severity === 'error' ? 'error  ' : 'warning'}  ${p.line}`);
  console.log(
    found.length === 0
      ? `${configPath()}: fits ${source}`
      : `${configPath()} against ${source}: ${errors.length} to fix, ${plural(found.length - errors.length, 'warning')}`,
  );
  process.exitCode = errors.length > 0 ? 1 : 0;
} else if (command === 'routes') {
  const loaded = await config();
  const { account } = await read();
  for (const form of loaded.forms) {
    console.log(
      `${form.id}: what lands where (a later row overrides group, agent, priority, language; labels add up)`,
    );
    for (const line of routeTable(form, account)) console.log(`  ${line}`);
  }
} else {
  console.error('usage: npm run forms -- init [file] [--force] | check [file] | routes [file]');
  process.exit(1);
}
