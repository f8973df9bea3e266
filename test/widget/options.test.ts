import { afterEach, describe, expect, it, vi } from 'vitest';
import { optionsFromDataset, parseOptions } from '../../widget/options';

afterEach(() => vi.restoreAllMocks());

describe('widget options', () => {
  it('reads data-* attributes, with prefill and context values, and fills defaults', () => {
    const raw = optionsFromDataset({
      form: 'support',
      mode: 'inline',
      target: '#help',
      locale: 'ru',
      prefillEmail: 'ann@example.com',
      prefillCf_9: '2',
      contextPlan: 'gold',
    });
    expect(parseOptions(raw, { endpoint: 'https://forms.example.com' })).toEqual({
      form: 'support',
      mode: 'inline',
      target: '#help',
      locale: 'ru',
      theme: 'auto',
      position: 'bottom-right',
      prefill: { email: 'ann@example.com', cf_9: '2' },
      context: { plan: 'gold' },
      endpoint: 'https://forms.example.com',
    });
  });

  it('reports a bad option once, naming it, and returns nothing instead of throwing', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(parseOptions({ form: 'support', theme: 'neon' })).toBeUndefined();
    expect(parseOptions({ mode: 'inline' })).toBeUndefined();
    expect(error).toHaveBeenCalledTimes(2);
    expect(error.mock.calls[0]?.[0]).toMatch(/^\[deskie-form\] invalid option "theme"/);
    expect(error.mock.calls[1]?.[0]).toMatch(/^\[deskie-form\] invalid option "form"/);
  });
});
