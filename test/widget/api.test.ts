// @vitest-environment happy-dom
/** The widget's API client (XMLHttpRequest, as in a browser) against the real backend and simulator over HTTP. */
import { describe, expect, it, vi } from 'vitest';
import { createApi, WidgetError } from '../../widget/api';
import { readStatus } from '../../widget/lookup';
import { manualTimers } from '../helpers/app';
import { demoBackend, PATIENCE } from '../helpers/widget';

// Five submissions an hour: the count cannot start again while the file runs, however slowly.
const backend = await demoBackend({}, { limits: { submissions: { limit: 5, windowSeconds: 3_600 } } });
const api = createApi(`${backend.url}/`, 'support');

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WidgetError);
  return error as WidgetError;
};

const values = (extra: Record<string, string | boolean> = {}) => ({
  email: 'ann@example.com',
  subject: 'Parcel',
  cf_9: '2',
  message: 'Where is it?',
  ...extra,
});

describe('widget API client', () => {
  it('loads the form, files a request with a file, and looks it up by token and by number + email', async () => {
    const { form, formToken } = await api.getForm('ru');
    expect(form).toMatchObject({ id: 'support', locale: 'ru', dir: 'ltr' });
    expect(formToken).toMatch(/\./);
    const file = new File(['hello, support'], 'note.txt', { type: 'text/plain' });
    const progress: number[] = [];
    const created = await api.submit({ formToken, values: values() }, 'widget-key-0001', [file], (loaded) =>
      progress.push(loaded ?? 0),
    );
    const [kase] = await backend.cases();
    expect(created).toMatchObject({ status: 'created', caseNumber: kase?.case_number });
    const [message] = await backend.messages(kase?.case_id ?? 0);
    expect(JSON.stringify(message)).toContain('note.txt');
    if (!('lookupToken' in created)) throw new Error('no token');
    const byToken = await readStatus(api, { token: created.lookupToken, locale: 'en' });
    expect(byToken).toMatchObject({
      status: 'open',
      statusLabel: 'In progress',
      caseNumber: kase?.case_number,
    });
    const byNumber = await readStatus(api, {
      caseNumber: String(kase?.case_number),
      email: 'ann@example.com',
    });
    expect(byNumber.caseNumber).toBe(kase?.case_number);
  });

  it('sends the same key again and gets the same request, never a second case', async () => {
    await backend.resetCases();
    const { formToken } = await api.getForm();
    const first = await api.submit({ formToken, values: values({ subject: 'Once' }) }, 'widget-key-0002');
    const again = await api.submit({ formToken, values: values({ subject: 'Once' }) }, 'widget-key-0002');
    expect(again).toEqual(first);
    expect(await backend.cases()).toHaveLength(1);
  });

  it('reports a backend it cannot reach as NETWORK, and one that is too slow as TIMEOUT', async () => {
    expect((await failure(createApi('http://127.0.0.1:9', 'support').getForm())).code).toBe('NETWORK');
    const timers = manualTimers();
    const slow = createApi(backend.url, 'support', undefined, timers.timer);
    const { formToken } = await api.getForm();
    await backend.faults({ hold: true });
    try {
      const sent = failure(
        slow.submit({ formToken, values: values({ subject: 'Slow' }) }, 'widget-key-0005'),
      );
      // The backend is waiting for Deskie, which does not answer: the widget's time is up.
      await vi.waitFor(async () => expect((await backend.stats()).held).toBe(1), PATIENCE);
      expect(timers.pending).toBe(1);
      timers.expire();
      expect((await sent).code).toBe('TIMEOUT');
    } finally {
      await backend.faults({ hold: false });
    }
    // Deskie answered in the end: the request the visitor gave up on was filed all the same.
    await vi.waitFor(
      async () => expect((await backend.cases()).map((c) => c.subject)).toContain('Slow'),
      PATIENCE,
    );
  });

  it('turns refusals into typed errors: fields, rate limits with when to retry, unknown forms', async () => {
    const { formToken } = await api.getForm();
    const invalid = await failure(
      api.submit({ formToken, values: values({ email: 'nope' }) }, 'widget-key-0003'),
    );
    expect(invalid).toMatchObject({ code: 'VALIDATION_FAILED', fields: { email: 'INVALID_EMAIL' } });
    // The sixth submission from this address within the minute.
    const limited = await failure(
      api.submit({ formToken, values: values({ subject: 'x' }) }, 'widget-key-0004'),
    );
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect((await failure(createApi(backend.url, 'nope').getForm())).code).toBe('FORM_NOT_FOUND');
    const missing = await failure(readStatus(api, { caseNumber: '999999', email: 'ann@example.com' }));
    expect(missing.code).toBe('NOT_FOUND');
  });
});
