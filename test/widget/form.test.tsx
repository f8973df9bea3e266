// @vitest-environment happy-dom
/** The widget's form, rendered and used the way a visitor would, against the real backend and simulator. */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountApp } from '../helpers/app';
import { demoBackend, PATIENCE } from '../helpers/widget';

// The backend runs as its own process: in this file the globals (XHR, URL) are the simulated
// browser's, and the visitor's requests cross real HTTP with CORS like a browser's.
const backend = await demoBackend();
const mount = (extra: Record<string, unknown> = {}) => mountApp(backend.url, extra);

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  return backend.resetCases();
});

const fill = (label: RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('widget form', () => {
  it('renders every field of the definition with labels, required marks, help and a file picker', async () => {
    mount();
    expect(await screen.findByRole('heading', { name: 'Contact support' })).toBeTruthy();
    const email = screen.getByLabelText(/^Email/);
    expect(email.getAttribute('type')).toBe('email');
    expect(email.hasAttribute('required')).toBe(true);
    expect(email.getAttribute('autocomplete')).toBe('email');
    expect(screen.getByLabelText(/^Email/).closest('label, div')?.textContent).toContain('(required)');
    expect(screen.getByLabelText(/^How can we help\?/).tagName).toBe('TEXTAREA');
    const topic = screen.getByLabelText(/^Topic/) as HTMLSelectElement;
    expect([...topic.options].map((o) => o.textContent)).toEqual([
      '—',
      'Billing',
      'Delivery',
      'Something else',
    ]);
    expect(screen.getByLabelText(/^This is urgent/).getAttribute('type')).toBe('checkbox');
    expect((screen.getByLabelText(/^Order number/) as HTMLInputElement).maxLength).toBe(40);
    expect(screen.getByRole('button', { name: 'Attach files' }).getAttribute('aria-describedby')).toBe(
      'df-files-help',
    );
    expect(document.getElementById('df-files-help')?.textContent).toBe(
      'Up to 3 files, 10 MB each. Or drop or paste them here.',
    );
  });

  it('on a failed send shows each error inline, linked to its field, and focuses the summary', async () => {
    const { announced } = mount();
    const send = await screen.findByRole('button', { name: 'Send' });
    fill(/^Email/, 'not-an-email');
    fireEvent.click(send);
    await waitFor(() => expect(screen.getByText('Please enter a valid email address.')).toBeTruthy());
    const email = screen.getByLabelText(/^Email/);
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toBe('df-email-error');
    expect(document.getElementById('df-email-error')?.textContent).toBe(
      'Please enter a valid email address.',
    );
    expect(document.getElementById('df-subject-error')?.textContent).toBe('Please fill this in.');
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toContain('Please check these fields:');
    await waitFor(() => expect(document.activeElement).toBe(summary));
    expect(announced).toContain('Please check these fields:');
    // The summary's links lead to the fields without touching the page's URL.
    const before = location.href;
    fireEvent.click(screen.getByRole('link', { name: 'Subject' }));
    expect(document.activeElement).toBe(screen.getByLabelText(/^Subject/));
    expect(location.href).toBe(before);
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

  it('files the request with prefilled, typed and context values, and shows the case number', async () => {
    const { events, announced } = mount({
      prefill: { email: 'ann@example.com', name: 'Ann Example' },
      context: { plan: 'gold' },
    });
    const send = await screen.findByRole('button', { name: 'Send' });
    expect((screen.getByLabelText(/^Email/) as HTMLInputElement).value).toBe('ann@example.com');
    fill(/^Subject/, 'Where is my parcel?');
    fireEvent.change(screen.getByLabelText(/^Topic/), { target: { value: '2' } });
    fill(/^How can we help\?/, 'It has been a week.');
    fireEvent.click(screen.getByLabelText(/^This is urgent/));
    // Deskie keeps the backend waiting until the test has seen the form while it sends.
    await backend.faults({ hold: true });
    try {
      fireEvent.click(send);
      await waitFor(async () => expect((await backend.stats()).held).toBe(1));
      expect(send.hasAttribute('disabled')).toBe(true);
      expect(send.textContent).toBe('Sending…');
    } finally {
      await backend.faults({ hold: false });
    }
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
    const [first] = await backend.messages(kase?.case_id ?? 0);
    expect(first?.content).toContain('It has been a week.');
    expect(first?.content).toContain('Context plan: gold');
    expect(events).toContainEqual([
      'submitted',
      { form: 'support', status: 'created', caseNumber: kase?.case_number },
    ]);
    expect(announced).toContain(`Your request was sent. ${kase?.case_number}`);
  });

  it('waits out the form’s minimum fill time, so a quick person is never taken for a bot', async () => {
    const strict = await demoBackend({ minFillSeconds: 1.5 });
    mountApp(strict.url, {
      prefill: { email: 'ann@example.com', subject: 'Quick', cf_9: '1', message: 'Fast typist.' },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    // The widget waits out 1.5 s of real time on top of the sends: the backend's clock is real too.
    await screen.findByRole(
      'heading',
      { name: 'Thank you — we received your request' },
      { timeout: PATIENCE.timeout + 1_500 },
    );
    expect((await strict.cases()).map((c) => c.subject)).toEqual(['Quick']);
  });

  it('answers a bot that fills the hidden field like a person, and files nothing', async () => {
    mount({ prefill: { email: 'bot@example.com', subject: 'Buy now', cf_9: '1', message: 'spam' } });
    const send = await screen.findByRole('button', { name: 'Send' });
    const trap = document.querySelector<HTMLInputElement>('input[tabindex="-1"]');
    expect(trap?.closest('[aria-hidden="true"]')).not.toBeNull();
    fireEvent.input(trap as HTMLInputElement, { target: { value: 'https://spam.example' } });
    fireEvent.click(send);
    expect(await screen.findByRole('heading', { name: 'Thank you — we received your request' })).toBeTruthy();
    expect(await backend.cases()).toHaveLength(0);
  });

  it('keeps unsent input across a reload, and forgets it once the request is received', async () => {
    mount();
    fireEvent.input(await screen.findByLabelText(/^Subject/), { target: { value: 'Half-written' } });
    cleanup();
    mount({ prefill: { email: 'ann@example.com' } });
    expect(((await screen.findByLabelText(/^Subject/)) as HTMLInputElement).value).toBe('Half-written');
    fireEvent.change(screen.getByLabelText(/^Topic/), { target: { value: '1' } });
    fill(/^How can we help\?/, 'Secret details.');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    expect(sessionStorage.getItem('deskie-form:support:draft')).toBeNull();
    // "Check a request" keeps the number and the token — never what was written.
    const kept = localStorage.getItem('deskie-form:support:requests') ?? '';
    const [request] = JSON.parse(kept) as { caseNumber: string; lookupToken: string }[];
    expect(request?.caseNumber).toBe((await backend.cases())[0]?.case_number);
    expect(request?.lookupToken).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(kept).not.toContain('Secret details');
    expect(kept).not.toContain('Half-written');
    // A new request starts empty, with the page's prefill, and focus on its first field.
    fireEvent.click(screen.getByRole('button', { name: 'Send another request' }));
    const name = (await screen.findByLabelText(/^Your name/)) as HTMLInputElement;
    expect((screen.getByLabelText(/^Subject/) as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText(/^Email/) as HTMLInputElement).value).toBe('ann@example.com');
    await waitFor(() => expect(document.activeElement).toBe(name));
  });

  it('speaks the locale it is given, lays Arabic out right to left, and takes string overrides', async () => {
    mount({ locale: 'ru' });
    expect(await screen.findByRole('heading', { name: 'Написать в поддержку' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Отправить' })).toBeTruthy();
    cleanup();
    mount({ locale: 'ar', strings: { attach: 'أرفق' } });
    const title = await screen.findByRole('heading', { name: 'راسل فريق الدعم' });
    expect(title.closest('section')?.getAttribute('dir')).toBe('rtl');
    expect(title.closest('section')?.getAttribute('lang')).toBe('ar');
    expect(screen.getByRole('button', { name: 'إرسال' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'أرفق' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'إرسال' }));
    expect((await screen.findAllByText('يُرجى ملء هذا الحقل.')).length).toBeGreaterThan(0);
  });
});
