import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Scratch } from '../../../server/core/utf8';

const encoder = new TextEncoder();

describe('utf8Scratch', () => {
  it('gives the UTF-8 bytes TextEncoder gives, for any text, short or past its buffer', () => {
    const bytesOf = utf8Scratch(64);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect([...bytesOf(text)]).toEqual([...encoder.encode(text)]);
      }),
    );
    // Lone surrogates are written as U+FFFD, as encode() writes them.
    expect([...bytesOf('a\ud800b')]).toEqual([...encoder.encode('a\ud800b')]);
  });
});
