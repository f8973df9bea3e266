import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv, usesRealDeskie } from '../../../server/config/env';
import { loadConfig } from '../../../server/config/load';
import { ConfigError, parseConfig } from '../../../server/config/schema';
import { partsFromEnv } from '../../../server/runtimes/backend';
import { DEMO_CONFIG } from '../../helpers/backend';

const form = DEMO_CONFIG.forms[0];
const problems = (raw: unknown) => {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
};

describe('config', () => {
  it('accepts the demo config and fills in the defaults', () => {
    const config = parseConfig(DEMO_CONFIG);
    expect(config.forms[0]).toMatchObject({
      id: 'support',
      context: ['pageUrl', 'referrer', 'locale', 'userAgent', 'extra'],
      minFillSeconds: 2,
    });
    expect(config.forms[0]?.attachments?.types).toContain('application/pdf');
    expect(config.limits.submissions).toEqual({ limit: 10, windowSeconds: 60 });
    expect(config.deskie).toMatchObject({ plan: 'basic', agents: 10, share: 0.8 });
  });

  it.each([
    [
      'an unknown field key',
      { forms: [{ ...form, fields: [...form.fields, { key: 'phone' }] }] },
      'forms[0].fields[7].key: must be name, email, subject, message or cf_<id>',
    ],
    [
      'a form without an email field',
      { forms: [{ ...form, fields: form.fields.filter((f: { key: string }) => f.key !== 'email') }] },
      'forms[0].fields: needs a "email" field: Deskie requires it',
    ],
    [
      'an optional message',
      {
        forms: [
          {
            ...form,
            fields: [
              ...form.fields.filter((f: { key: string }) => f.key !== 'message'),
              { key: 'message', required: false },
            ],
          },
        ],
      },
      'forms[0].fields[6].required: "message" must be required: Deskie requires it',
    ],
    [
      'a field twice',
      { forms: [{ ...form, fields: [...form.fields, { key: 'cf_5' }] }] },
      'forms[0].fields[7].key: "cf_5" appears twice',
    ],
    [
      "a file limit above Deskie's 25 MB",
      { forms: [{ ...form, attachments: { maxFileBytes: 26 * 1024 * 1024 } }] },
      'forms[0].attachments.maxFileBytes: Too big: expected number to be <=26214400',
    ],
    [
      'a misspelt option',
      { forms: [{ ...form, showReplys: true }] },
      'forms[0]: Unrecognized key: "showReplys"',
    ],
    ['two forms with one id', { forms: [form, form] }, 'forms[1].id: "support" appears twice'],
    [
      'an origin that is not a URL',
      { ...DEMO_CONFIG, allowedOrigins: ['shop.example'] },
      'allowedOrigins[0]: Invalid input',
    ],
    [
      'no subject at all',
      { forms: [{ ...form, fields: form.fields.filter((f: { key: string }) => f.key !== 'subject') }] },
      'forms[0].case.subject: is needed when the form has no subject field',
    ],
    ['no forms', { forms: [] }, 'forms: Too small: expected array to have >=1 items'],
    [
      'a webhook over plain http to another host',
      { ...DEMO_CONFIG, notify: { url: 'http://hooks.example/deskie' } },
      'notify.url: must be an https:// URL (http:// only to localhost or 127.0.0.1)',
    ],
    [
      'a webhook that is not a URL',
      { ...DEMO_CONFIG, notify: { url: 'hooks.example/deskie' } },
      'notify.url: Invalid URL',
    ],
  ])('refuses %s, naming the key', (_, raw, problem) => {
    expect(problems(raw)).toContain(problem);
  });

  it('takes a webhook for dead letters over https, or over http on this machine', () => {
    expect(parseConfig(DEMO_CONFIG).notify).toBeUndefined();
    expect(parseConfig({ ...DEMO_CONFIG, notify: { url: 'https://hooks.example/deskie' } }).notify).toEqual({
      url: 'https://hooks.example/deskie',
      timeoutSeconds: 10,
    });
    for (const url of ['http://127.0.0.1:9000/hook', 'http://localhost/hook'])
      expect(parseConfig({ ...DEMO_CONFIG, notify: { url } }).notify?.url).toBe(url);
  });

  it('refuses to start with a webhook but no secret to sign with, naming the variable', () => {
    const config = parseConfig({ ...DEMO_CONFIG, notify: { url: 'https://hooks.example/deskie' } });
    expect(() => partsFromEnv(parseEnv({}), config)).toThrow(
      'DESKIE_FORM_NOTIFY_SECRET: is required because the config has notify.url',
    );
    const secret = 'n'.repeat(32);
    expect(partsFromEnv(parseEnv({ DESKIE_FORM_NOTIFY_SECRET: secret }), config).notify).toEqual({
      url: 'https://hooks.example/deskie',
      secret,
      timeoutMs: 10_000,
    });
    expect(partsFromEnv(parseEnv({}), parseConfig(DEMO_CONFIG)).notify).toBeUndefined();
  });

  it('reduces allowed origins to their origin', () => {
    expect(
      parseConfig({ ...DEMO_CONFIG, allowedOrigins: ['https://shop.example/some/page'] }).allowedOrigins,
    ).toEqual(['https://shop.example']);
  });

  it('loads a file, and names the file when it is missing or not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskie-form-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify(DEMO_CONFIG));
    writeFileSync(join(dir, 'bad.json'), '{ "forms": [ ');
    expect((await loadConfig(join(dir, 'good.json'))).forms[0]?.id).toBe('support');
    await expect(loadConfig(join(dir, 'missing.json'))).rejects.toThrow(
      /DESKIE_FORM_CONFIG: cannot read .*missing\.json \(ENOENT\)/,
    );
    await expect(loadConfig(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: not valid JSON/);
  });
});

describe('environment', () => {
  const real = {
    DESKIE_URL: 'https://acme.deskie.io',
    DESKIE_STAFF_EMAIL: 'agent@acme.example',
    DESKIE_API_KEY: 'k-123',
  };

  it('runs on the simulator without Deskie settings, on the account with all three', () => {
    expect(usesRealDeskie(parseEnv({}))).toBe(false);
    expect(parseEnv({}).PORT).toBe(8787);
    expect(parseEnv({}).HOST).toBe('127.0.0.1');
    expect(usesRealDeskie(parseEnv({ ...real, DESKIE_FORM_SECRET: 'x'.repeat(32) }))).toBe(true);
  });

  it('names each bad variable and never repeats a secret', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { DESKIE_URL: real.DESKIE_URL },
        'DESKIE_URL: set DESKIE_URL, DESKIE_STAFF_EMAIL and DESKIE_API_KEY together (or none, for the simulator)',
      ],
      [real, 'DESKIE_FORM_SECRET: is required with a real Deskie account'],
      [{ DESKIE_FORM_SECRET: 'short-secret-value' }, 'DESKIE_FORM_SECRET: must be at least 32 characters'],
      [{ PORT: 'eighty' }, 'PORT: Invalid input: expected number, received NaN'],
      [
        { DESKIE_FORM_NOTIFY_SECRET: 'short-secret-value' },
        'DESKIE_FORM_NOTIFY_SECRET: must be at least 32 characters',
      ],
    ];
    for (const [env, problem] of cases) {
      let error: unknown;
      try {
        parseEnv(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toContain(problem);
      expect((error as ConfigError).message).not.toContain('short-secret-value');
    }
  });
});
