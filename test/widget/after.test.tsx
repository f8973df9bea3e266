// @vitest-environment happy-dom
/** After a send: the answer, this browser's requests, lookups by number + email, and a request's status with replies. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountApp } from '../helpers/app';
import { demoBackend } from '../helpers/widget';

const backend = await demoBackend();

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  return backend.resetCases();
});

const filled = {
  email: 'ann@example.com',
  subject: 'Where is my parcel?',
  cf_9: '2',
  message: 'A week late.',
};

/** Mounts the form with everything filled in, and sends it. */
async function send(extra: Record<string, unknown> = {}) {
  const mounted = mountApp(backend.url, { prefill: filled, ...extra });
  fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
  await screen.findByRole('heading', { name: 'Thank you — we received your request' });
  return mounted;
}

describe('after a send', () => {
  it('shows the status from the answer, then the agent’s public reply — never an internal note', async () => {
    await send();
    const [kase] = await backend.cases();
    fireEvent.click(screen.getByRole('button', { name: 'Check status' }));
    const heading = await screen.findByRole('heading', { name: `Request ${kase?.case_number}` });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText('Where is my parcel?')).toBeTruthy();
    expect(screen.getByText('In progress')).toBeTruthy();
    expect(screen.getByText(/^Sent /)).toBeTruthy();
    expect(screen.getByText('No replies yet.')).toBeTruthy();

    await backend.reply(kase?.case_id ?? 0, 'We found it: it arrives tomorrow.');
    await backend.note(kase?.case_id ?? 0, 'INTERNAL: courier was late again');
    await backend.setStatus(kase?.case_id ?? 0, 'waiting');
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    const mine = await screen.findByRole('heading', { name: 'Sent from this browser' });
    const list = mine.nextElementSibling as HTMLElement;
    fireEvent.click(
      within(list).getByRole('button', { name: new RegExp(`^Request ${kase?.case_number}, sent `) }),
    );
    expect(await screen.findByText('Waiting for your reply')).toBeTruthy();
    expect(screen.getByText('We found it: it arrives tomorrow.')).toBeTruthy();
    expect(screen.getByText(/^Support · /)).toBeTruthy();
    expect(document.body.textContent).not.toContain('INTERNAL');
  });

  it('looks a request up by case number and email, and refuses a wrong pair without telling which part', async () => {
    await send();
    const [kase] = await backend.cases();
    cleanup();
    localStorage.clear();
    mountApp(backend.url);
    fireEvent.click(await screen.findByRole('button', { name: 'Check a request' }));
    await screen.findByRole('heading', { name: 'Check a request' });
    expect(screen.queryByText('Sent from this browser')).toBeNull();
    fireEvent.input(screen.getByLabelText('Request number'), { target: { value: kase?.case_number } });
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'someone.else@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check status' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'We found no request with that number and email.',
    );
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: ' ann@example.com ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check status' }));
    expect(await screen.findByRole('heading', { name: `Request ${kase?.case_number}` })).toBeTruthy();
    expect(screen.getByText('In progress')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New request' }));
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('says when a request is queued, shows its receipt, and remembers its case number once filed', async () => {
    const { events } = mountApp(backend.url, { prefill: filled });
    const sendButton = await screen.findByRole('button', { name: 'Send' });
    // Deskie is down for the send: the backend keeps the request and answers at once.
    await backend.faults({ errorRate: 1 });
    try {
      fireEvent.click(sendButton);
      await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    } finally {
      // Then Deskie is up but does not answer yet: the request stays queued while the test looks.
      await backend.faults({ errorRate: 0, hold: true });
    }
    try {
      expect(screen.getByText(/^It will reach our help desk shortly\. Its reference is sub_/)).toBeTruthy();
      const receipt = String(events.find(([name]) => name === 'submitted')?.[1]?.receipt);
      expect(receipt).toMatch(/^sub_/);
      expect(events.find(([name]) => name === 'submitted')?.[1]).toMatchObject({ status: 'queued' });
      fireEvent.click(screen.getByRole('button', { name: 'Check status' }));
      expect(await screen.findByRole('heading', { name: `Request ${receipt} (being filed)` })).toBeTruthy();
      expect(screen.getByText('Received — waiting to be filed')).toBeTruthy();
    } finally {
      await backend.faults({ hold: false });
    }
    // Deskie answers: the drainer files it (at its next try, after a backoff of a few seconds),
    // and the next look shows (and keeps) the case number.
    const kase = await waitFor(async () => {
      const [found] = await backend.cases();
      if (!found) throw new Error('not filed yet');
      return found;
    });
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    fireEvent.click(await screen.findByRole('button', { name: /^Request sub_/ }));
    expect(await screen.findByRole('heading', { name: `Request ${kase.case_number}` })).toBeTruthy();
    const kept = JSON.parse(localStorage.getItem('deskie-form:support:requests') ?? '[]');
    expect(kept[0]).toMatchObject({ caseNumber: kase.case_number });
  });
});
