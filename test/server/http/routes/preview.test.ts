/**
 * The demo's config preview, as `npm start` serves it without an account: the JSON the create-case
 * call would send for some answers, from the demo's own config — and no such route with a real one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../server/config/schema';
import { ADAPTIVE_FORM } from '../../../helpers/adaptive';
import { DEMO_CONFIG } from '../../../helpers/backend';
import { backendEnv, startEntry } from '../../../helpers/process';
import { startSimulator } from '../../../helpers/serve';

/** `npm start` with no account: the demo, on the demo's own config. */
const demo = startEntry('server/runtimes/node.ts', {
  PORT: '0',
  DESKIE_FORM_DATABASE: join(mkdtempSync(join(tmpdir(), 'deskie-preview-')), 'outbox.sqlite'),
});
const [, base] = await demo.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
await demo.waitFor(/Demo page/);

const preview = (form: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/demo/preview/forms/${form}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A question about billing, every answer it asks for given. */
const question = {
  type: 'question',
  name: 'Ann Example',
  email: 'ann@example.com',
  subject: 'Invoice',
  message: 'Two invoices for one order.',
  cf_9: '1',
  cf_20: '50-200',
  consent: true,
};

describe('the config preview in the demo', () => {
  it('lists the forms of the loaded config with their locales', async () => {
    const answer = await fetch(`${base}/demo/preview/forms`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      forms: [
        { id: 'support', title: 'Contact support', locales: ['en', 'ru', 'ar'] },
        { id: 'help', title: 'Get help', locales: ['en', 'ru'] },
      ],
    });
  });

  it("shows the case a billing question files: the option's group and label, the form's language", async () => {
    const cases = await fetch(`${base}/_deskie/api/cases.json`, {
      headers: { authorization: `Basic ${btoa('demo@example.com:demo-key')}` },
    });
    const before = ((await cases.json()) as { total_count: number }).total_count;
    const answer = await preview(
      'help',
      { values: question, locale: 'en', context: { pageUrl: 'http://127.0.0.1/shop' } },
      { 'user-agent': 'Preview/1.0' },
    );
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      ok: true;
      locale: string;
      deskie: { case: Record<string, unknown> };
    };
    expect(body).toMatchObject({ ok: true, locale: 'en' });
    const kase = body.deskie.case;
    expect(kase).toMatchObject({
      user_email: 'ann@example.com',
      user_full_name: 'Ann Example',
      subject: 'Invoice',
      group_id: 45,
      labels: [101, 102],
      priority: 'normal',
      language_id: 2,
      custom_fields: { cf_9: '1', cf_20: '50-200' },
    });
    const content = String(kase.content);
    expect(content).toMatch(/^Two invoices for one order\.\n\n—\n/);
    for (const line of [
      'Page: http://127.0.0.1/shop',
      'Locale: en',
      'Browser: Preview/1.0',
      'Request type: A question',
      'Reference: sub_preview',
    ])
      expect(content).toContain(line);
    expect(content).toMatch(/Consent: given \S+ to https:\/\/shop\.example\/privacy \(version 2026-01\)/);
    // Shown, not filed: the simulator holds no more cases than before.
    const after = await fetch(`${base}/_deskie/api/cases.json`, {
      headers: { authorization: `Basic ${btoa('demo@example.com:demo-key')}` },
    });
    expect(((await after.json()) as { total_count: number }).total_count).toBe(before);
  });

  it('leaves out what a condition hides, and what the chosen type does not ask', async () => {
    const answer = await preview('help', {
      values: { ...question, cf_9: '2', cf_20: 'hidden now', cf_14: '2026-11-30' },
      locale: 'ru',
    });
    expect(answer.status).toBe(200);
    const { deskie } = (await answer.json()) as { deskie: { case: Record<string, unknown> } };
    expect(deskie.case.custom_fields).toEqual({ cf_9: '2' });
    expect(deskie.case).toMatchObject({ group_id: 44, labels: [101], language_id: 1 });
    expect(deskie.case).not.toHaveProperty('priority');
    expect(String(deskie.case.content)).not.toContain('hidden now');
  });

  it('answers the field errors the real form would: not valid yet is an answer, not a failure', async () => {
    const answer = await preview('help', { values: { type: 'question', cf_9: '1' }, locale: 'en' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      ok: false,
      locale: 'en',
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Some fields need attention.',
        fields: {
          email: 'REQUIRED',
          subject: 'REQUIRED',
          message: 'REQUIRED',
          cf_20: 'REQUIRED',
          consent: 'REQUIRED',
        },
      },
    });
  });

  it('refuses a bad body, an unknown form, a wrong method and too large a body, with typed errors', async () => {
    const refused = async (answer: Response) => [
      answer.status,
      ((await answer.json()) as { error: { code: string } }).error.code,
    ];
    expect(await refused(await preview('help', '{"values":'))).toEqual([400, 'BAD_REQUEST']);
    expect(await refused(await preview('help', { values: { name: 1 } }))).toEqual([400, 'BAD_REQUEST']);
    expect(await refused(await preview('nope', { values: {} }))).toEqual([404, 'FORM_NOT_FOUND']);
    expect(await refused(await fetch(`${base}/demo/preview/forms/help`))).toEqual([
      405,
      'METHOD_NOT_ALLOWED',
    ]);
    const huge = { values: { message: 'x'.repeat(1024 * 1024) } };
    expect(await refused(await preview('help', huge))).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it("shows the docs' worked example: the demo's help form is it", () => {
    const help = DEMO_CONFIG.forms.find((f: { id: string }) => f.id === 'help');
    expect(help).toEqual(ADAPTIVE_FORM);
    expect(() => parseConfig(DEMO_CONFIG)).not.toThrow();
  });
});

describe('with a Deskie account', () => {
  it('has no preview: the route is not there', async () => {
    const sim = await startSimulator({ rpm: 1_000_000 });
    const real = startEntry('server/runtimes/node.ts', backendEnv(sim.url));
    const [, url] = await real.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
    await real.waitFor(/Using your Deskie account/);
    for (const answer of [
      await fetch(`${url}/demo/preview/forms`),
      await fetch(`${url}/demo/preview/forms/support`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ values: {} }),
      }),
    ]) {
      expect(answer.status).toBe(404);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });
});
