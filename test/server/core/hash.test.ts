import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBase32, sortableTime } from '../../../server/core/hash';
import { newSubmissionId } from '../../../server/intake/idempotency';

describe('randomBase32', () => {
  it('writes ids of base-32 characters, each position as likely to hold any of the 32', () => {
    const ids = Array.from({ length: 20_000 }, () => randomBase32(24));
    expect(new Set(ids).size).toBe(ids.length);
    for (let position = 0; position < 24; position++) {
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id.charAt(position), (counts.get(id.charAt(position)) ?? 0) + 1);
      expect(counts.size, `position ${position}`).toBe(32);
      // 625 expected each; a fixed bit (the UUID's version or variant) would halve or zero some.
      for (const [char, count] of counts) expect(count, `${char} at ${position}`).toBeGreaterThan(450);
    }
  });

  it('gives receipts their shape, and refuses more characters than a UUID holds', () => {
    expect(newSubmissionId(Date.now())).toMatch(/^sub_[a-z2-7]{20}$/);
    expect(randomBase32(0)).toBe('');
    expect(() => randomBase32(25)).toThrow(RangeError);
  });
});

describe('sortableTime', () => {
  it('writes times as base-32 characters that sort as the times do, so receipts made later sort later', () => {
    const ms = fc.integer({ min: 0, max: 2 ** 45 - 1 });
    fc.assert(
      fc.property(ms, ms, (a, b) => {
        const [ta, tb] = [sortableTime(a), sortableTime(b)];
        expect(ta).toMatch(/^[a-z2-7]{9}$/);
        expect(ta < tb).toBe(a < b);
        if (a !== b) expect(newSubmissionId(a) < newSubmissionId(b)).toBe(a < b);
      }),
    );
  });
});
