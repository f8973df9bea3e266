// @vitest-environment happy-dom
/**
 * A customer the site signed in: email and name filled and locked once the backend checked the
 * token, the token sent with the request, "Your requests" from Deskie on any browser — and a
 * forged or expired token refused in words, never taken as an ordinary visitor's.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountApp } from '../helpers/app';
import { customer, IDENTITY_SECRET, signIdentity } from '../helpers/identity';
import { demoBackend } from '../helpers/widget';

const backend = await demoBackend({}, {}, { DESKIE_FORM_IDENTITY_SECRET: IDENTITY_SECRET });

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  return backend.resetCases();
});

const filled = { subject: 'Invoice twice', cf_9: '2', message: 'Charged twice in May.' };

describe('a signed-in customer', () => {
  it('is filled in and locked, files as themself, and finds the request in another browser', async () => {
    const userToken = signIdentity(customer(Date.now()));
    mountApp(backend.url, { userToken, prefill: { ...filled, email: 'someone@example.com' } });
    const email = (await screen.findByLabelText(/^Email/)) as HTMLInputElement;
    await screen.findByDisplayValue('bea@example.com');
    expect(email.readOnly).toBe(true);
    const name = document.querySelector('#df-name') as HTMLInputElement;
    expect([name.value, name.readOnly]).toEqual(['Bea Customer', true]);
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    const [kase] = await backend.cases();

    // Another browser: nothing kept here, the same customer signed in.
    cleanup();
    localStorage.clear();
    sessionStorage.clear();
    mountApp(backend.url, { userToken });
    fireEvent.click(await screen.findByRole('button', { name: 'Check a request' }));
    const list = await screen.findByRole('region', { name: 'Your requests' });
    expect(screen.queryByText('Sent from this browser')).toBeNull();
    fireEvent.click(
      await within(list).findByRole('button', {
        name: `Request ${kase?.case_number}: Invoice twice — In progress`,
      }),
    );
    expect(await screen.findByRole('heading', { name: `Request ${kase?.case_number}` })).toBeTruthy();
  });

  it('refuses an expired or a forged identity in words, and does not fill the form with it', async () => {
    const expired = signIdentity(customer(Date.now() - 2 * 3600_000));
    const { events } = mountApp(backend.url, { userToken: expired });
    fireEvent.click(await screen.findByRole('button', { name: 'Check a request' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Your sign-in has expired. Please reload the page or sign in again.',
    );
    expect(events.some(([name, detail]) => name === 'error' && detail?.code === 'IDENTITY_EXPIRED')).toBe(
      true,
    );

    cleanup();
    const forged = signIdentity(customer(Date.now()), 'not-the-site-secret-0123456789-abcdef');
    mountApp(backend.url, { userToken: forged, prefill: filled });
    fireEvent.click(await screen.findByRole('button', { name: 'Check a request' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'We could not confirm who you are. Please reload the page or sign in again.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'New request' }));
    const email = (await screen.findByLabelText(/^Email/)) as HTMLInputElement;
    expect(email.value).toBe('');
    expect(email.readOnly).toBe(false);
    fireEvent.input(email, { target: { value: 'bea@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'We could not confirm who you are. Please reload the page or sign in again.',
    );
    expect(await backend.cases()).toHaveLength(0);
  });
});
