import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { webDigests } from '../../../server/core/hash';
import { createTokens } from '../../../server/core/tokens';
import { nodeDigests } from '../../../server/runtimes/node-digests';

const SECRET = 'a-signing-secret-of-at-least-32-characters';

describe("Node's digests", () => {
  it("hash as the portable ones do, and the portable HMAC signs as Node's createHmac", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.string(),
        (key, data, other, text) => {
          const sign = webDigests.hmacSha256(key);
          // One prepared state serves every message: a second call leaves the first's bytes alone.
          const first = sign(data);
          const second = sign(other);
          expect(Buffer.from(first)).toEqual(createHmac('sha256', key).update(data).digest());
          expect(Buffer.from(second)).toEqual(createHmac('sha256', key).update(other).digest());
          expect(nodeDigests.sha256Hex(data)).toBe(webDigests.sha256Hex(data));
          expect(nodeDigests.sha256Hex(text)).toBe(webDigests.sha256Hex(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("read each other's tokens: a Worker and a Node instance of one deployment agree", () => {
    const node = createTokens(SECRET, nodeDigests);
    const web = createTokens(SECRET, webDigests);
    const claim = { formId: 'support', issuedAt: 1_800_000_000_000 };
    expect(web.form.read(node.form.issue(claim))).toEqual(claim);
    expect(node.form.read(web.form.issue(claim))).toEqual(claim);
    expect(createTokens(`${SECRET}!`, nodeDigests).form.read(web.form.issue(claim))).toBeUndefined();
  });
});
