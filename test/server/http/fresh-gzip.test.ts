/**
 * A gzip answer spliced from a fresh head and a tail compressed once: any gzip reader takes it
 * (its CRC and length checked) and reads exactly the head, then the tail.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { freshHeadGzip } from '../../../server/http/fresh-gzip';

const gzip = (text: string) => gzipSync(text);
const tail = JSON.stringify({
  fields: Array.from({ length: 40 }, (_, i) => ({ key: `cf_${i}`, label: 'Étiquette ✓' })),
});

describe('freshHeadGzip', () => {
  it('gunzips to the head and the tail, for heads of any length and characters', async () => {
    const splice = freshHeadGzip(gzip, tail);
    for (const head of ['', '{"formToken":"abc.def","form":', 'ü'.repeat(700), 'x'.repeat(4000)]) {
      const bytes = splice?.(head);
      expect(bytes).toBeDefined();
      expect(gunzipSync(bytes as Uint8Array<ArrayBuffer>).toString()).toBe(head + tail);
      const read = new Blob([bytes as Uint8Array<ArrayBuffer>])
        .stream()
        .pipeThrough(new DecompressionStream('gzip'));
      expect(await new Response(read).text()).toBe(head + tail);
    }
  });

  it('sends the tail compressed, as it was once', () => {
    const once = gzip(tail).byteLength;
    const bytes = freshHeadGzip(gzip, tail)?.('{"formToken":"t"}') as Uint8Array;
    expect(bytes.byteLength).toBe(once + 5 + '{"formToken":"t"}'.length);
    expect(bytes.byteLength).toBeLessThan(tail.length / 2);
  });

  it('declines a gzip whose header carries a name: there is no splicing it blind', () => {
    const named = (text: string) => {
      const bytes = Uint8Array.from(gzipSync(text));
      bytes[3] = 8;
      return bytes;
    };
    expect(freshHeadGzip(named, tail)).toBeUndefined();
  });
});
