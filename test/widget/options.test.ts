import { afterEach, describe, expect, it, vi } from 'vitest';
import { optionsFromDataset, parseOptions } from '../../widget/options';

afterEach(() => vi.restoreAllMocks());

describe('widget options', () => {
  it('reads data-* attributes, with prefill, context and string overrides, and fills defaults', () => {
    const raw = optionsFromDataset({
      form: 'support',
      mode: 'inline',
      target: '#help',
      locale: 'ru',
      theme: 'dark',
      accent: '#ff0066',
      launcherText: 'Help',
      prefillEmail: 'ann@example.com',
      prefillCf_9: '2',
      contextPlan: 'gold',
      stringSend: 'Submit',
      cfasync: 'false', // another tool's attribute on the same tag: not ours, not an error
    });
    expect(parseOptions(raw, { endpoint: 'https://forms.example.com' })).toEqual({
      form: 'support',
      mode: 'inline',
      target: '#help',
      locale: 'ru',
      theme: 'dark',
      accent: '#ff0066',
      launcherText: 'Help',
      position: 'bottom-right',
      prefill: { email: 'ann@example.com', cf_9: '2' },
      context: { plan: 'gold' },
      strings: { send: 'Submit' },
      endpoint: 'https://forms.example.com',
    });
  });

  it('takes a signed-in customer’s identity from data-user-token', () => {
    const raw = optionsFromDataset({ form: 'support', userToken: 'header.claims.signature' });
    expect(parseOptions(raw)?.userToken).toBe('header.claims.signature');
  });

  it.each([
    [
      { form: 'support', theme: 'neon' },
      /^\[deskie-form\] invalid option "theme": expected light or dark or auto/,
    ],
    [{ mode: 'inline' }, /^\[deskie-form\] invalid option "form": expected a form id/],
    [{ form: 'support', accent: 'red' }, /invalid option "accent": expected a hex colour/],
    [{ form: 'support', prefill: { email: 42 } }, /invalid option "prefill"/],
    [{ form: 'support', endpoint: 'ftp://x' }, /invalid option "endpoint": expected an http\(s\) URL/],
    [{ form: 'support', colour: '#fff' }, /unknown option "colour": expected form, endpoint, mode/],
  ])('reports a bad option once, naming it, and returns nothing: %o', (raw, message) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(parseOptions(raw)).toBeUndefined();
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toMatch(message);
  });
});
