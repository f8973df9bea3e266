// @vitest-environment happy-dom
/**
 * An adaptive form as a visitor uses it — request types, a condition revealing a required field,
 * routing, hidden values from the page, consent — against the real backend and simulator, checked
 * by what the visitor sees and hears and by the case Deskie received.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADAPTIVE_FORM } from '../helpers/adaptive';
import { mountApp } from '../helpers/app';
import { demoBackend, PATIENCE } from '../helpers/widget';

// The worked example of docs/configuration.md, served under the id the test helpers mount.
const backend = await demoBackend({ ...ADAPTIVE_FORM, id: 'support', minFillSeconds: 0 });
const mount = (extra: Record<string, unknown> = {}) => mountApp(backend.url, extra);

afterEach(() => {
  cleanup();
  history.replaceState(null, '', '/');
  vi.restoreAllMocks();
});
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  return backend.resetCases();
});

const fill = (label: RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
const choose = (label: RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

/** Fills what every type asks: email, subject, message and consent. */
function fillCommon() {
  fill(/^Email/, 'ann@example.com');
  fill(/^Subject/, 'Help please');
  fill(/^How can we help\?/, 'Details');
  fireEvent.click(screen.getByLabelText(/^I agree/));
}

/** Sends, then the one case Deskie received and the text of its first message. */
async function sendAndRead() {
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await screen.findByText(/Thank you/, undefined, PATIENCE);
  const [kase] = await backend.cases();
  if (!kase) throw new Error('no case in Deskie');
  const [first] = await backend.messages(kase.case_id);
  return { kase, content: String((first as { content?: unknown }).content) };
}

describe('an adaptive form in the widget', () => {
  it('asks "What is it about?" first; a type brings its own fields and title, announced without moving focus', async () => {
    const { announced } = mount();
    const group = await screen.findByRole('group', { name: /What is it about\?/ });
    expect(group.tagName).toBe('FIELDSET');
    expect(screen.getAllByRole('radio').map((r) => r.closest('label')?.textContent)).toEqual([
      'An order',
      'Something is broken',
      'A question',
    ]);
    expect(screen.queryByLabelText(/^Order date/)).toBeNull();
    const order = screen.getByLabelText('An order');
    order.focus();
    fireEvent.click(order);
    expect(await screen.findByRole('heading', { name: 'Help with an order' })).toBeTruthy();
    expect(screen.getByLabelText(/^Order date/).hasAttribute('required')).toBe(true);
    await waitFor(() => expect(announced).toContain('Added to the form: Order date.'));
    expect(document.activeElement).toBe(order);
    // Another type: its field instead, and the form's own title again.
    fireEvent.click(screen.getByLabelText('Something is broken'));
    expect(await screen.findByLabelText(/^Steps to reproduce/)).toBeTruthy();
    expect(screen.queryByLabelText(/^Order date/)).toBeNull();
    expect(screen.getByRole('heading', { name: 'Get help' })).toBeTruthy();
  });

  it('refuses to send without a type, naming it in the summary', async () => {
    mount();
    const send = await screen.findByRole('button', { name: 'Send' });
    fillCommon();
    fireEvent.click(send);
    const summary = await screen.findByRole('alert');
    await waitFor(() => expect(summary.textContent).toContain('What is it about?'));
    fireEvent.click(screen.getByRole('link', { name: 'What is it about?' }));
    expect(document.activeElement).toBe(screen.getByLabelText('An order'));
    expect(await backend.cases()).toHaveLength(0);
  });

  it('reveals a required field when an option asks for it, and routes the case by the option', async () => {
    mount();
    fireEvent.click(await screen.findByLabelText('A question'));
    fillCommon();
    choose(/^Topic/, '1');
    const size = await screen.findByLabelText(/^Company size/);
    expect(size.hasAttribute('required')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByRole('link', { name: 'Company size' })).toBeTruthy();
    expect(await backend.cases()).toHaveLength(0);
    fill(/^Company size/, '50');
    const { kase, content } = await sendAndRead();
    expect(kase).toMatchObject({ group_id: 45, labels: [101, 102], priority: 'normal' });
    expect(kase).toMatchObject({ custom_fields: { cf_9: '1' } });
    expect(content).toContain('Request type: A question');
  });

  it('sends nothing of a field its condition hides again, and no files for a type that takes none', async () => {
    const sent: string[] = [];
    const send = XMLHttpRequest.prototype.send;
    vi.spyOn(XMLHttpRequest.prototype, 'send').mockImplementation(function (
      this: XMLHttpRequest,
      body?: Document | XMLHttpRequestBodyInit | null,
    ) {
      if (typeof body === 'string') sent.push(body);
      return send.call(this, body);
    });
    mount();
    fireEvent.click(await screen.findByLabelText('A question'));
    expect(screen.queryByRole('button', { name: 'Attach files' })).toBeNull();
    fillCommon();
    choose(/^Topic/, '1');
    await screen.findByLabelText(/^Company size/);
    fill(/^Company size/, '50');
    choose(/^Topic/, '2');
    await waitFor(() => expect(screen.queryByLabelText(/^Company size/)).toBeNull());
    const { kase } = await sendAndRead();
    // Delivery routes nothing: the form's group; the company size typed before is not sent.
    expect(kase).toMatchObject({ group_id: 44, labels: [101] });
    const values = sent.map((b) => (JSON.parse(b) as { values?: Record<string, unknown> }).values);
    expect(values.at(-1)).toMatchObject({ type: 'question', cf_9: '2', consent: true });
    expect(values.at(-1)).not.toHaveProperty('cf_20');
  });

  it('takes hidden values from the page and the URL, records consent, and opens on a type the page names', async () => {
    history.replaceState(null, '', '/pricing?order=A-1001&utm_source=newsletter');
    mount({ prefill: { type: 'order', utm_source: 'spring-sale' } });
    expect(await screen.findByRole('heading', { name: 'Help with an order' })).toBeTruthy();
    expect((screen.getByLabelText('An order') as HTMLInputElement).checked).toBe(true);
    fillCommon();
    fill(/^Order date/, '2026-11-20');
    const policy = screen.getByRole('link', { name: 'Privacy policy' });
    expect(policy.getAttribute('href')).toBe('https://shop.example/privacy');
    expect(policy.getAttribute('target')).toBe('_blank');
    const { kase, content } = await sendAndRead();
    expect(kase).toMatchObject({
      group_id: 45,
      priority: 'high',
      custom_fields: { cf_5: 'A-1001', cf_14: '2026-11-20' },
    });
    // The page's own value (DeskieForm.prefill here) wins over the URL's.
    expect(content).toContain('Campaign: spring-sale');
    expect(content).toMatch(/Consent: given \S+ to https:\/\/shop\.example\/privacy \(version 2026-01\)/);
  });

  it('leaves out a hidden value the form refuses, with a word on the console, and the request still goes', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    mount({ hidden: { utm_source: 'x'.repeat(41) } });
    fireEvent.click(await screen.findByLabelText('Something is broken'));
    fillCommon();
    fill(/^Steps to reproduce/, '1. Open the app');
    const { kase, content } = await sendAndRead();
    expect(kase).toMatchObject({ staff_id: 1, labels: [101, 103] });
    expect(content).not.toContain('Campaign:');
    expect(warn).toHaveBeenCalledWith('[deskie-form] hidden value "utm_source" left out:', 'TOO_LONG');
  });

  it('opens on the type the page names (data-type) and takes data-hidden values over the URL', async () => {
    history.replaceState(null, '', '/help?utm_source=newsletter');
    mount({ type: 'bug', hidden: { utm_source: 'spring-sale' } });
    expect(await screen.findByLabelText(/^Steps to reproduce/)).toBeTruthy();
    expect((screen.getByLabelText('Something is broken') as HTMLInputElement).checked).toBe(true);
    fillCommon();
    fill(/^Steps to reproduce/, '1. Open the app');
    const { kase, content } = await sendAndRead();
    expect(kase).toMatchObject({ staff_id: 1, labels: [101, 103] });
    expect(content).toContain('Campaign: spring-sale');
  });

  it('will not send without consent', async () => {
    mount();
    fireEvent.click(await screen.findByLabelText('Something is broken'));
    fill(/^Email/, 'ann@example.com');
    fill(/^Subject/, 'Help please');
    fill(/^How can we help\?/, 'Details');
    fill(/^Steps to reproduce/, '1. Open the app');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const consent = screen.getByLabelText(/^I agree/);
    await waitFor(() => expect(consent.getAttribute('aria-invalid')).toBe('true'));
    expect(consent.getAttribute('aria-describedby')).toBe('df-consent-help df-consent-error');
    expect(await backend.cases()).toHaveLength(0);
  });
});
