/**
 * UTF-8 bytes of a text, written into one reused buffer: what the hot paths do with a text's bytes
 * (hash them, base64 them, copy them into an answer) reads them at once and keeps nothing. Here
 * TextEncoder's encodeInto into a buffer cost ~55 ns for a token's text, encode() ~310 ns (an array
 * made for every call): three of them on every form definition served.
 */

const encoder = new TextEncoder();

/**
 * An encoder whose answer is a view of its own buffer, good until its next call (so never two
 * texts alive at once from one encoder). Texts that might not fit `size` bytes get a new array.
 */
export function utf8Scratch(size = 4096): (text: string) => Uint8Array<ArrayBuffer> {
  const buffer = new Uint8Array(size);
  return (text) => {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (text.length * 3 > size) return encoder.encode(text);
    const { written } = encoder.encodeInto(text, buffer);
    return buffer.subarray(0, written);
  };
}
