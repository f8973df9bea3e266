// @vitest-environment happy-dom
/** The widget's form, rendered and used the way a visitor would, against the real backend. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../widget/api';
import { App } from '../../widget/components/App';
import { parseOptions } from '../../widget/options';
import { createWidgetState } from '../../widget/state';
import { demoBackend } from '../helpers/widget';

// The backend runs as its own process: in this file the globals (fetch, URL, Request) are the
// simulated browser's, and the visitor's requests cross real HTTP with CORS like a browser's.
const backend = await demoBackend();
const served = { url: backend.url };

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  return backend.resetCases();
});

function mount(extra: Record<string, unknown> = {}) {
  const options = parseOptions({ form: 'support', ...extra }, { endpoint: served.url })!;
  const state = createWidgetState(options, createApi(served.url, 'support'));
  render(<App state={state} locale={options.locale ?? 'en'} />);
  return state;
}

describe('widget form', () => {
  it('renders every field of the definition with labels, required marks and help', async () => {
    mount();
    expect(await screen.findByRole('heading', { name: 'Contact support' })).toBeTruthy();
    expect(screen.getByLabelText(/^Email/).getAttribute('type')).toBe('email');
    expect(screen.getByLabelText(/^Email/).hasAttribute('required')).toBe(true);
    expect(screen.getByLabelText(/^How can we help\?/).tagName).toBe('TEXTAREA');
    const topic = screen.getByLabelText(/^Topic/) as HTMLSelectElement;
    expect([...topic.options].map((o) => o.textContent)).toEqual([
      '—',
      'Billing',
      'Delivery',
      'Something else',
    ]);
    expect(screen.getByLabelText(/^This is urgent/).getAttribute('type')).toBe('checkbox');
  });

  it('on a failed send shows each error inline, linked to its field, and focuses the summary', async () => {
    mount();
    const send = await screen.findByRole('button', { name: 'Send' });
    fireEvent.input(screen.getByLabelText(/^Email/), { target: { value: 'not-an-email' } });
    fireEvent.click(send);
    await waitFor(() => expect(screen.getByText('Please enter a valid email address.')).toBeTruthy());
    const email = screen.getByLabelText(/^Email/);
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toBe('df-email-error');
    expect(document.getElementById('df-email-error')?.textContent).toBe(
      'Please enter a valid email address.',
    );
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toContain('Please check these fields:');
    await waitFor(() => expect(document.activeElement).toBe(summary));
    expect(await backend.cases()).toHaveLength(0);
  });

  it('validates a field when it loses focus, and clears the error once fixed', async () => {
    mount();
    const email = (await screen.findByLabelText(/^Email/)) as HTMLInputElement;
    fireEvent.input(email, { target: { value: 'ann@' } });
    fireEvent.blur(email);
    expect(await screen.findByText('Please enter a valid email address.')).toBeTruthy();
    fireEvent.input(email, { target: { value: 'ann@example.com' } });
    fireEvent.blur(email);
    await waitFor(() => expect(screen.queryByText('Please enter a valid email address.')).toBeNull());
  });

  it('files the request with prefilled and typed values, and shows the case number', async () => {
    mount({ prefill: { email: 'ann@example.com', name: 'Ann Example' } });
    const send = await screen.findByRole('button', { name: 'Send' });
    expect((screen.getByLabelText(/^Email/) as HTMLInputElement).value).toBe('ann@example.com');
    fireEvent.input(screen.getByLabelText(/^Subject/), { target: { value: 'Where is my parcel?' } });
    fireEvent.change(screen.getByLabelText(/^Topic/), { target: { value: '2' } });
    fireEvent.input(screen.getByLabelText(/^How can we help\?/), {
      target: { value: 'It has been a week.' },
    });
    fireEvent.click(screen.getByLabelText(/^This is urgent/));
    fireEvent.click(send);
    expect(await screen.findByRole('heading', { name: 'Thank you — we received your request' })).toBeTruthy();
    const [kase] = await backend.cases();
    expect(
      screen.getByText(`Your request number is ${kase?.case_number}. We will reply by email.`),
    ).toBeTruthy();
    expect(kase).toMatchObject({
      subject: 'Where is my parcel?',
      recipient: 'ann@example.com',
      custom_fields: { cf_9: '2', cf_12: true },
    });
  });

  it('keeps unsent input across a reload, and forgets it once the request is received', async () => {
    mount();
    fireEvent.input(await screen.findByLabelText(/^Subject/), { target: { value: 'Half-written' } });
    cleanup();
    mount({ prefill: { email: 'ann@example.com' } });
    expect(((await screen.findByLabelText(/^Subject/)) as HTMLInputElement).value).toBe('Half-written');
    fireEvent.change(screen.getByLabelText(/^Topic/), { target: { value: '1' } });
    fireEvent.input(screen.getByLabelText(/^How can we help\?/), { target: { value: 'Secret details.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    expect(sessionStorage.getItem('deskie-form:support:draft')).toBeNull();
    // "My requests" keeps the number and the token — never what was written.
    const kept = localStorage.getItem('deskie-form:support:requests') ?? '';
    const [request] = JSON.parse(kept) as { caseNumber: string; lookupToken: string }[];
    expect(request?.caseNumber).toBe((await backend.cases())[0]?.case_number);
    expect(request?.lookupToken).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(kept).not.toContain('Secret details');
    expect(kept).not.toContain('Half-written');
  });

  it('speaks the locale it is given', async () => {
    mount({ locale: 'ru' });
    expect(await screen.findByRole('heading', { name: 'Написать в поддержку' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Отправить' })).toBeTruthy();
  });
});
