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
      hiddenUtm_source: 'spring',
      type: 'order',
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
      type: 'order',
      // The request type is the answer named `type`: filled in as any value.
      prefill: { email: 'ann@example.com', cf_9: '2', type: 'order' },
      context: { plan: 'gold' },
      hidden: { utm_source: 'spring' },
      strings: { send: 'Submit' },
      endpoint: 'https://forms.example.com',
    });
  });

  it('takes a signed-in customer’s identity from data-user-token', () => {
    const raw = optionsFromDataset({ form: 'support', userToken: 'header.claims.signature' });
    expect(parseOptions(raw)?.userToken).toBe('header.claims.signature');
  });

  it.each([
    [{ form: 'support', theme: 'neon' }, /^\[deskie-form\] invalid option "theme"/],
    [{ mode: 'inline' }, /^\[deskie-form\] invalid option "form"/],
    [{ form: 'support', accent: 'red' }, /invalid option "accent"/],
    [{ form: 'support', accent: '#1234567' }, /invalid option "accent"/],
    [{ form: 'support', prefill: { email: 42 } }, /invalid option "prefill"/],
    [{ form: 'support', hidden: { utm_source: true } }, /invalid option "hidden"/],
    [{ form: 'support', hidden: { note: 'x'.repeat(501) } }, /invalid option "hidden"/],
    [{ form: 'support', type: 7 }, /invalid option "type"/],
    [{ form: 'support', endpoint: 'ftp://x' }, /invalid option "endpoint"/],
    [{ form: 'support', colour: '#fff' }, /unknown option "colour"/],
  ])('reports a bad option once, naming it, and returns nothing: %o', (raw, message) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(parseOptions(raw)).toBeUndefined();
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toMatch(message);
  });
});
