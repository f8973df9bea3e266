/**
 * `npm run forms -- init | check | routes` against a Deskie simulator over HTTP, and the same check
 * when the Node server starts: a config Deskie would refuse stops it, naming each key; a Deskie it
 * cannot reach does not.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/load';
import { ADAPTIVE_FORM } from '../helpers/adaptive';
import { DEMO_CONFIG } from '../helpers/backend';
import { backendEnv, startCommand, startEntry } from '../helpers/process';
import { listen, startSimulator } from '../helpers/serve';

const { url } = await startSimulator({ rpm: 10_000 });
const account = { DESKIE_URL: url, DESKIE_STAFF_EMAIL: 'demo@example.com', DESKIE_API_KEY: 'demo-key' };
const dir = mkdtempSync(join(tmpdir(), 'deskie-forms-'));

/** Runs the CLI with `args` against the simulator; its exit code and everything it printed. */
async function forms(...args: string[]) {
  const run = startCommand(process.execPath, ['--import', 'tsx', 'scripts/forms.ts', ...args], account);
  const code = await run.exited;
  return { code, output: run.output() };
}

/** A config file holding the adaptive form with `changes` to it. */
function configWith(name: string, changes: Record<string, unknown>) {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...DEMO_CONFIG, forms: [{ ...ADAPTIVE_FORM, ...changes }] }));
  return path;
}

const [order, bug, question] = ADAPTIVE_FORM.types.options;
/** Everything the account does not have, or no longer has. */
const drifted = {
  fields: [...ADAPTIVE_FORM.fields, { key: 'cf_21' }, { key: 'cf_99' }],
  hidden: [ADAPTIVE_FORM.hidden[0], { ...ADAPTIVE_FORM.hidden[1], type: 'date' }],
  case: { labels: [101, 999], groupId: 44, language: { en: 2, ru: 7 } },
  types: {
    options: [
      { ...order, case: { groupId: 46 } },
      { ...bug, case: { staffId: 2 } },
      {
        ...question,
        fields: [
          { key: 'cf_9', options: [{ value: '1' }, { value: '4', label: 'Returns' }] },
          { key: 'cf_20', showIf: { field: 'cf_9', equals: '4' } },
        ],
      },
    ],
  },
};

describe('npm run forms', () => {
  it('init writes a commented starter config from the account, by name, that check then accepts', async () => {
    const path = join(dir, 'forms.jsonc');
    const init = await forms('init', path);
    expect(init.code).toBe(0);
    expect(init.output).toContain(`wrote ${path} from ${url}: 6 custom fields`);
    const text = readFileSync(path, 'utf8');
    for (const named of [
      '{ "key": "cf_5", "label": "Order number" }, // text',
      '{ "key": "cf_20", "label": "Company size" }, // text, kept on the requester',
      '{ "value": "2", "label": "Delivery" }',
      '// Groups: 44 Support, 45 Billing',
      '// Agents: 1 Demo Agent',
      '// Labels: 101 web-form, 102 billing, 103 bug',
      '// Deskie languages: 1 Русский, 2 English, 3 العربية',
      '// Inactive in Deskie, left out: cf_21 Legacy field.',
    ])
      expect(text).toContain(named);
    const config = await loadConfig(path);
    expect(config.forms[0]?.fields.map((f) => f.key)).toEqual([
      'name',
      'email',
      'subject',
      'cf_5',
      'cf_6',
      'cf_9',
      'cf_12',
      'cf_14',
      'cf_20',
      'message',
    ]);
    expect(config.forms[0]?.case.language).toEqual({ en: 2, ru: 1, ar: 3 });
    expect(await forms('check', path)).toMatchObject({
      code: 0,
      output: expect.stringContaining(`fits ${url}`),
    });
    // An owner's edits survive: init does not write over a file unless told to.
    expect(await forms('init', path)).toMatchObject({
      code: 1,
      output: expect.stringContaining('pass --force'),
    });
  });

  it('check names every key that no longer fits the account, and what the account has instead', async () => {
    const { code, output } = await forms('check', configWith('drifted.json', drifted));
    expect(code).toBe(1);
    const lines = [
      'warning  forms[0].fields[5].key: Deskie\'s "Legacy field" (cf_21) is inactive: the form leaves it out',
      'error    forms[0].fields[6].key: cf_99 is not a custom field in this Deskie account',
      'error    forms[0].types.options[2].fields[0].options[1].value: "4" is not an option of Deskie\'s "Topic" (cf_9): 1 Billing, 2 Delivery, 3 Other',
      'error    forms[0].hidden[1].type: Deskie\'s "Order number" (cf_5) is a text, not date',
      'error    forms[0].case.labels[1]: 999 is not a label in Deskie (labels: 101 web-form, 102 billing, 103 bug)',
      'error    forms[0].case.language.ru: 7 is not a language in Deskie (1 Русский, 2 English, 3 العربية)',
      'error    forms[0].types.options[0].case.groupId: 46 is not a group in Deskie (groups: 44 Support, 45 Billing)',
      'error    forms[0].types.options[1].case.staffId: 2 is Former Agent, inactive in Deskie (agents: 1 Demo Agent)',
    ];
    for (const line of lines) expect(output).toContain(line);
    expect(output).toContain(`against ${url}: 7 to fix, 1 warning`);
  });

  it('check finds a condition on an option only Deskie lists', async () => {
    const path = configWith('condition.json', {
      types: {
        options: [
          order,
          bug,
          {
            ...question,
            fields: [{ key: 'cf_9' }, { key: 'cf_20', showIf: { field: 'cf_9', oneOf: ['2', '5'] } }],
          },
        ],
      },
    });
    const { code, output } = await forms('check', path);
    expect(code).toBe(1);
    expect(output).toContain(
      'forms[0].types.options[2].fields[1].showIf.oneOf: "5" is not an option of Deskie\'s "Topic" (cf_9): 1 Billing, 2 Delivery, 3 Other',
    );
  });

  it('routes shows what lands where, by name', async () => {
    const { code, output } = await forms('routes', configWith('routes.json', {}));
    expect(code).toBe(0);
    const table = output.split('\n').map((l) => l.trim().replace(/\s{2,}/g, ' | '));
    expect(table).toEqual(
      expect.arrayContaining([
        'when | group | agent | labels | priority | language',
        'every request | 44 Support | — | 101 web-form | — | en: 2 English, ru: 1 Русский',
        'type = order (An order) | 45 Billing | — | + 102 billing | high | —',
        'type = bug (Something is broken) | — | 1 Demo Agent | + 103 bug | — | 2 English',
        'cf_9 (Topic) = 1 Billing | 45 Billing | — | + 102 billing | normal | —',
        'cf_9 (Topic) = 3 Something else | — | — | — | low | —',
      ]),
    );
  });
});

describe('the Node server at start', () => {
  it('refuses a config whose routes Deskie would refuse, one line per key', async () => {
    const app = startEntry(
      'server/runtimes/node.ts',
      backendEnv(url, { config: { forms: [{ ...ADAPTIVE_FORM, ...drifted }] } }),
    );
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain(
      '  - forms[0].types.options[0].case.groupId: 46 is not a group in Deskie (groups: 44 Support, 45 Billing)',
    );
    expect(app.output()).not.toContain('deskie-form on');
  });

  it('starts when Deskie cannot be reached, saying the config was not checked', async () => {
    const closed = await listen(() => new Response('down', { status: 503 }));
    await closed.close();
    const app = startEntry(
      'server/runtimes/node.ts',
      backendEnv(closed.url, { config: { forms: [ADAPTIVE_FORM] } }),
    );
    await app.waitFor(/deskie-form on/);
    expect(app.output()).toContain(
      '"msg":"config not checked against Deskie: the account could not be read"',
    );
  });
});
