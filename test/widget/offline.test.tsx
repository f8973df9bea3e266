// @vitest-environment happy-dom
/** A send while the network is down waits for it to come back, then goes out once — one case. */
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { mountApp } from '../helpers/app';
import { demoBackend, visitorLine } from '../helpers/widget';

const backend = await demoBackend();
const line = await visitorLine(backend.url);

describe('widget offline', () => {
  it('keeps the request while offline, says so, and sends it once the network is back', async () => {
    await backend.resetCases();
    mountApp(line.url(), {
      prefill: {
        email: 'ann@example.com',
        subject: 'Sent from a train',
        cf_9: '3',
        message: 'Tunnel ahead.',
      },
    });
    const send = await screen.findByRole('button', { name: 'Send' });
    await line.cut();
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    fireEvent.click(send);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'You are offline. Your request will be sent when you are back online.',
    );
    expect(await backend.cases()).toHaveLength(0);
    await line.restore();
    online.mockRestore();
    window.dispatchEvent(new Event('online'));
    expect(await screen.findByRole('heading', { name: 'Thank you — we received your request' })).toBeTruthy();
    const cases = await backend.cases();
    expect(cases).toHaveLength(1);
    expect(cases[0]?.subject).toBe('Sent from a train');
    cleanup();
  });
});
