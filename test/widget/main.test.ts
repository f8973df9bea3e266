// @vitest-environment happy-dom
/** The script-tag entry in a simulated page: queue stub, inline mount in a shadow root, double include, bad options. */
import { waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { demoBackend } from '../helpers/widget';

const backend = await demoBackend();

describe('widget entry', () => {
  it('replays queued calls, mounts inline in a shadow root, and ignores a second copy of the script', async () => {
    document.body.innerHTML = '<main><div id="help"></div></main>';
    window.DeskieForm = {
      q: [
        [
          'init',
          { form: 'support', mode: 'inline', target: '#help', endpoint: backend.url, accent: '#ff0066' },
        ],
      ],
    } as unknown as Window['DeskieForm'];
    await import('../../widget/main');
    const host = document.querySelector<HTMLElement>('#help > [data-deskie-form="support"]');
    expect(host).not.toBeNull();
    expect(host?.style.getPropertyValue('--df-accent')).toBe('#ff0066');
    const root = host?.shadowRoot;
    await waitFor(() => expect(root?.querySelector('h2')?.textContent).toBe('Contact support'), {
      timeout: 5_000,
    });
    expect(root?.querySelectorAll('input, select, textarea').length).toBeGreaterThan(5);
    // The page's own markup is untouched apart from the one host element.
    expect(document.body.querySelectorAll('*').length).toBe(3);

    const first = window.DeskieForm;
    vi.resetModules();
    await import('../../widget/main');
    expect(window.DeskieForm).toBe(first);
    expect(document.querySelectorAll('[data-deskie-form]')).toHaveLength(1);
  });

  it('reports a bad option once on the console and throws nothing into the page', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => window.DeskieForm?.init({ form: 'support', mode: 'sideways' })).not.toThrow();
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]?.[0])).toMatch(/^\[deskie-form\] invalid option "mode"/);
    error.mockRestore();
  });
});
