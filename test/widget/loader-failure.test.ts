// @vitest-environment happy-dom
/** When the form chunk cannot be fetched, the launcher says so once and tries again on the next press. */
import { waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { start } from '../../widget/loader';

describe('widget loader without its form chunk', () => {
  it('reports the failure on the console and as an error event, throws nothing, and retries', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const events: unknown[] = [];
    window.addEventListener('deskie-form:error', (e) => events.push((e as CustomEvent).detail));
    let attempts = 0;
    const script = document.createElement('script');
    script.src = 'https://forms.example.com/deskie-form.js';
    script.dataset.form = 'support';
    start(() => {
      attempts += 1;
      return Promise.reject(new Error('chunk blocked'));
    }, script);
    const launcher = document.querySelector('deskie-form')?.shadowRoot?.querySelector('button');
    expect(launcher?.textContent).toBe('Contact us');
    launcher?.click();
    await waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toMatchObject({ form: 'support', code: 'NETWORK' });
    expect(String(error.mock.calls[0]?.[0])).toBe('[deskie-form] the form could not be loaded:');
    expect(launcher?.hasAttribute('aria-busy')).toBe(false);
    expect(launcher?.getAttribute('aria-expanded')).toBe('false');
    launcher?.click();
    await waitFor(() => expect(attempts).toBe(2));
    expect(events).toHaveLength(2);
    error.mockRestore();
  });
});
