import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../server/core/base64url';

/** The platform's base64, made url-safe and unpadded: what the hand-written codec must agree with. */
const reference = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

describe('base64url', () => {
  it("writes what the platform's base64 writes, and reads it back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(reference(bytes));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads nothing from text that is not unpadded base64url, or not as the encoder writes it', () => {
    for (const bad of ['a', 'ab=c', 'ab+c', 'ab/c', 'abc=', 'é123', 'ab c', 'AB', 'AAB'])
      expect(fromBase64Url(bad), bad).toBeUndefined();
    expect(fromBase64Url('')).toEqual(new Uint8Array(0));
    expect(fromBase64Url('AA')).toEqual(new Uint8Array([0]));
  });
});
