/** The widget's API client against the real backend over HTTP. */
import { describe, expect, it } from 'vitest';
import { createApi, WidgetError } from '../../widget/api';
import { startBackend, validValues } from '../helpers/backend';
import { listen } from '../helpers/serve';

const t = await startBackend({ config: { limits: { submissions: { limit: 3, windowSeconds: 60 } } } });
const served = await listen(t.app.fetch);
const api = createApi(`${served.url}/`, 'support');

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WidgetError);
  return error as WidgetError;
};

describe('widget API client', () => {
  it('loads the form, files a request, and looks it up', async () => {
    const { form, formToken } = await api.getForm('ru');
    expect(form).toMatchObject({ id: 'support', locale: 'ru' });
    t.clock.advance(10_000);
    const created = await api.submit({ formToken, values: validValues() }, 'widget-key-0001');
    expect(created).toMatchObject({ status: 'created', caseNumber: t.sim.state.cases[0]?.case_number });
    const status = await api.status({ token: created.lookupToken, locale: 'en' });
    expect(status).toMatchObject({ status: 'open', statusLabel: 'In progress' });
  });

  it('turns refusals into typed errors: fields, rate limits with when to retry, unknown forms', async () => {
    const { formToken } = await api.getForm();
    t.clock.advance(10_000);
    const invalid = await failure(
      api.submit({ formToken, values: validValues({ email: 'nope' }) }, 'widget-key-0002'),
    );
    expect(invalid).toMatchObject({ code: 'VALIDATION_FAILED', fields: { email: 'INVALID_EMAIL' } });
    await api.submit({ formToken, values: validValues() }, 'widget-key-0003').catch(() => undefined);
    const limited = await failure(api.submit({ formToken, values: validValues() }, 'widget-key-0004'));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect((await failure(createApi(served.url, 'nope').getForm())).code).toBe('FORM_NOT_FOUND');
  });

  it('reports a backend it cannot reach as NETWORK', async () => {
    const gone = await listen(() => new Response());
    await gone.close();
    expect((await failure(createApi(gone.url, 'support').getForm())).code).toBe('NETWORK');
  });
});
