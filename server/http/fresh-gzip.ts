/**
 * A gzip answer whose body is a fresh head (a few dozen bytes new on every request: the form token)
 * before a tail that stays the same (the definition), without compressing anything per request.
 *
 * A deflate stream is a run of blocks, and a "stored" block (RFC 1951 §3.2.4) holds its bytes as
 * they are and ends on a byte boundary. So the head goes first, in a stored block, and the tail's
 * blocks follow as the runtime's gzip wrote them once — they refer to nothing before them. Only the
 * gzip trailer's CRC-32 covers both: the tail's part is worked out once (CRC-32 is linear, so the
 * head's CRC is carried through the tail's length by a table of 32 words), the head's per request.
 * A random token would not compress anyway; what is spent per request is a CRC over the head.
 */

import { utf8Scratch } from '../core/utf8';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 register after `bytes` (no final inversion), from `crc`. */
function crcUpdate(crc: number, bytes: Uint8Array): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return c >>> 0;
}

/** What `length` zero bytes do to each bit of a CRC register: the register after them is linear in it. */
function zerosOperator(length: number): Uint32Array {
  const zeros = new Uint8Array(length);
  return Uint32Array.from({ length: 32 }, (_, bit) => crcUpdate((1 << bit) >>> 0, zeros));
}

/** The gzip header gzip writes with no name, comment or extra field: 10 bytes, flags 0. */
const HEADER_BYTES = 10;
const TRAILER_BYTES = 8;
/** A stored block holds at most this much; a head is far smaller. */
const STORED_MAX = 0xffff;

/**
 * Compresses `tail` once with `gzip`; returns a function that gzips `head + tail` for any `head`,
 * or undefined when `gzip` writes a header this cannot splice (a name or extra field in it).
 */
export function freshHeadGzip(
  gzip: (text: string) => Uint8Array,
  tail: string,
): ((head: string) => Uint8Array<ArrayBuffer>) | undefined {
  const member = gzip(tail);
  if (member[0] !== 0x1f || member[1] !== 0x8b || member[2] !== 8 || member[3] !== 0) return undefined;
  const header = member.subarray(0, HEADER_BYTES);
  const blocks = member.subarray(HEADER_BYTES, member.length - TRAILER_BYTES);
  const tailBytes = new TextEncoder().encode(tail);
  // The tail's own CRC from a zero register; the head's register is carried across it by `shift`.
  const tailCrc = crcUpdate(0, tailBytes);
  const shift = zerosOperator(tailBytes.length);
  const bytesOf = utf8Scratch();
  return (head) => {
    const headBytes = bytesOf(head);
    if (headBytes.length > STORED_MAX) throw new RangeError('the head does not fit one stored block');
    const size = HEADER_BYTES + 5 + headBytes.length + blocks.length + TRAILER_BYTES;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out.set(header, 0);
    // BFINAL 0, BTYPE 00 (stored), then LEN and its one's complement, little-endian.
    let at = HEADER_BYTES;
    out[at] = 0;
    view.setUint16(at + 1, headBytes.length, true);
    view.setUint16(at + 3, ~headBytes.length & 0xffff, true);
    out.set(headBytes, at + 5);
    at += 5 + headBytes.length;
    out.set(blocks, at);
    at += blocks.length;
    const afterHead = crcUpdate(0xffffffff, headBytes);
    let crc = tailCrc;
    for (let bit = 0; bit < 32; bit++) if ((afterHead >>> bit) & 1) crc ^= shift[bit] ?? 0;
    view.setUint32(at, ~crc >>> 0, true);
    view.setUint32(at + 4, (headBytes.length + tailBytes.length) >>> 0, true);
    return out;
  };
}
