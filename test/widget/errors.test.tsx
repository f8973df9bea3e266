// @vitest-environment happy-dom
/** Every way a send or a load can fail, as the visitor sees it — and that a retry never files twice. */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes } from '../../server/contract';
import { WidgetError } from '../../widget/api';
import { describe as say } from '../../widget/state';
import { en, translator } from '../../widget/strings';
import { ar } from '../../widget/strings/ar';
import { ru } from '../../widget/strings/ru';
import { manualTimers, mountApp } from '../helpers/app';
import { english } from '../helpers/english';
import { type Crossing, demoBackend, visitorLine } from '../helpers/widget';

const backend = await demoBackend();
// A window far longer than the file takes, however slow the machine: the second send is refused.
const limited = await demoBackend({}, { limits: { submissions: { limit: 1, windowSeconds: 600 } } });

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

const filled = { email: 'ann@example.com', subject: 'Parcel', cf_9: '2', message: 'Late.' };

describe('widget failures', () => {
  it('explains a form that cannot be loaded, offers to try again, and tells the page', async () => {
    const { events } = mountApp('http://127.0.0.1:9');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The form could not be loaded.');
    expect(events).toContainEqual(['error', expect.objectContaining({ form: 'support', code: 'NETWORK' })]);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(events.filter(([name]) => name === 'error')).toHaveLength(2));
    // Lookups are a click away from here too (the backend is down: the reason shows there).
    fireEvent.click(await screen.findByRole('button', { name: 'Check a request' }));
    expect(await screen.findByRole('heading', { name: 'Check a request' })).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Request number'), { target: { value: '1001' } });
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ann@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check status' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'We could not reach the server. Please check your connection and try again.',
    );
  });

  it('retries a timed-out send with the same key, then says so; sending again files exactly one case', async () => {
    await backend.resetCases();
    const line = await visitorLine(backend.url);
    const timers = manualTimers();
    mountApp(line.url(), { prefill: filled }, { timer: timers.timer });
    const send = await screen.findByRole('button', { name: 'Send' });
    // The server files the request at once, but its answers are held on the way back.
    const submission = (c: Crossing) => c.method === 'POST' && c.path.endsWith('/submissions');
    line.hold(submission);
    fireEvent.click(send);
    for (let attempt = 1; attempt <= 3; attempt++) {
      // This attempt reached the server and was answered; the widget is still waiting. Time is up.
      await waitFor(() =>
        expect(line.crossed.filter((c) => submission(c) && c.status)).toHaveLength(attempt),
      );
      expect(timers.pending).toBe(1);
      timers.expire();
    }
    expect((await screen.findByText(/took too long/)).textContent).toBe(
      'The server took too long. Please send again — it will not be filed twice.',
    );
    const attempts = line.crossed.filter(submission);
    expect(attempts).toHaveLength(3);
    expect(attempts[0]?.key).toMatch(/^[\w-]{8,}$/);
    expect(new Set(attempts.map((a) => a.key))).toEqual(new Set([attempts[0]?.key]));
    // Three attempts, each filed by the server under one key: one case.
    expect(await backend.cases()).toHaveLength(1);

    line.release();
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    const cases = await backend.cases();
    expect(cases).toHaveLength(1);
    expect(
      screen.getByText(`Your request number is ${cases[0]?.case_number}. We will reply by email.`),
    ).toBeTruthy();
    expect(line.crossed.filter(submission).map((c) => c.key)).toEqual(Array(4).fill(attempts[0]?.key));
  });

  it('says when to try again after too many requests', async () => {
    mountApp(limited.url, { prefill: filled });
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    fireEvent.click(screen.getByRole('button', { name: 'Send another request' }));
    fireEvent.input(await screen.findByLabelText(/^Subject/), { target: { value: 'Again' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await waitFor(() => {
      const text = screen.getByRole('alert').textContent ?? '';
      expect(text).toMatch(/^Too many requests\. Please try again in \d+ seconds?\.$/);
      return text;
    });
    expect(alert).not.toContain('undefined');
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('has visitor-facing words for every error code the API has, and for failures of its own', () => {
    // Every English word: a lookup's failures are told in the lookup view, a challenge's beside it;
    // each chunk brings its own.
    const t = translator('en', english);
    const texts = new Map<string, string>();
    for (const code of [
      ...errorCodes,
      'NETWORK',
      'OFFLINE',
      'TIMEOUT',
      'BAD_RESPONSE',
      'CAPTCHA_REQUIRED',
    ] as const) {
      const text = say(new WidgetError(code, 'x', undefined, 12), t);
      expect(text, code).not.toMatch(/\{|undefined|^$/);
      texts.set(code, text);
    }
    expect(texts.get('RATE_LIMITED')).toBe('Too many requests. Please try again in 12 seconds.');
    expect(texts.get('DESKIE_UNAVAILABLE')).toBe('The help desk is busy. Please try again in 12 seconds.');
    expect(texts.get('NOT_FOUND')).toBe('We found no request with that number and email.');
    expect(texts.get('ATTACHMENT_TYPE_NOT_ALLOWED')).toBe(
      'A file was refused. Please remove it and send again.',
    );
    expect(texts.get('INTERNAL_ERROR')).toBe(texts.get('BAD_RESPONSE'));
    expect(texts.get('CAPTCHA_FAILED')).toBe(
      'The challenge was not passed. Please complete it again, then send.',
    );
    expect(texts.get('CAPTCHA_REQUIRED')).toBe('Please complete the challenge above the Send button.');
  });

  it.each([
    // The server gave up waiting for the request to arrive: as when the widget gives up waiting.
    ['REQUEST_TIMEOUT', 'The server took too long. Please send again — it will not be filed twice.'],
    ['TIMEOUT', 'The server took too long. Please send again — it will not be filed twice.'],
    // The browser's own headers are too large: nothing typed is at fault, and nothing is lost.
    [
      'HEADERS_TOO_LARGE',
      'Your request could not be sent. What you wrote is still here; please try again later.',
    ],
    ['INTERNAL_ERROR', 'Something went wrong on our side. Please send again — it will not be filed twice.'],
  ] as const)('tells the visitor %s as “%s”', (code, words) => {
    expect(say(new WidgetError(code, 'x'), translator('en', en))).toBe(words);
    // And in words of its own in every other language.
    for (const [locale, table] of [
      ['ru', ru],
      ['ar', ar],
    ] as const)
      expect(say(new WidgetError(code, 'x'), translator(locale, table))).not.toBe(words);
  });

  it('answers a spent form token by fetching a fresh one and sending the same request again: filed once', async () => {
    // A form token files one new request here: the second send from the same page finds it spent.
    const strict = await demoBackend(
      {},
      {
        limits: {
          submissions: { limit: 1000, windowSeconds: 60 },
          lookups: { limit: 1000, windowSeconds: 60 },
          submissionsPerFormToken: 1,
        },
      },
    );
    const line = await visitorLine(strict.url);
    mountApp(line.url(), { prefill: filled });
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    fireEvent.click(screen.getByRole('button', { name: 'Send another request' }));
    fireEvent.input(await screen.findByLabelText(/^Subject/), { target: { value: 'The second one' } });
    const before = line.crossed.length;
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    expect(screen.queryByRole('alert')).toBeNull();

    // Refused for its token; a fresh form (and token); the same submission again, same key.
    const second = line.crossed.slice(before).filter((c) => c.method !== 'OPTIONS'); // not CORS preflights
    expect(second.map((c) => `${c.method} ${c.path.split('?')[0]} ${c.status}`)).toEqual([
      'POST /v1/forms/support/submissions 400',
      'GET /v1/forms/support 200',
      'POST /v1/forms/support/submissions 201',
    ]);
    expect(second[2]?.key).toBe(second[0]?.key);
    const cases = await strict.cases();
    expect(cases.map((c) => c.subject)).toEqual(['Parcel', 'The second one']);
    expect(
      screen.getByText(`Your request number is ${cases[1]?.case_number}. We will reply by email.`),
    ).toBeTruthy();
  });
});
